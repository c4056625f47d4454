// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl test: KUnit cases with every outcome (Linux 7.2 API).
use kernel::prelude::*;

module! {
    type: KunitMod,
    name: "kunit_mod",
    authors: ["rfl tests"],
    description: "rfl test cases",
    license: "GPL",
}

struct KunitMod;

impl kernel::Module for KunitMod {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KunitMod)
    }
}

fn double(value: u32) -> u32 {
    value * 2
}

fn checked_half(value: u32) -> Result<u32> {
    if value % 2 == 0 {
        Ok(value / 2)
    } else {
        Err(EINVAL)
    }
}

#[kunit_tests(rfl_kunit_demo)]
mod tests {
    use super::*;

    #[test]
    fn doubles() {
        assert_eq!(double(2), 4);
    }

    #[test]
    fn doubles_wrong() {
        assert_eq!(double(2), 5);
    }

    #[test]
    fn halves_odd() -> Result {
        checked_half(3)?;
        Ok(())
    }

    // CONFIG_KUNIT_TEST is off in the test kernel: the macro keeps the case and KUnit skips it.
    #[cfg(CONFIG_KUNIT_TEST)]
    #[test]
    fn skipped_here() {}

    #[test]
    fn panics() {
        let nothing: Option<u32> = None;
        nothing.expect("deliberate panic in a test");
    }

    #[test]
    fn after_panic() {
        assert!(double(0) == 0);
    }
}
