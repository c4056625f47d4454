// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl test: a KUnit case that never returns (Linux 7.2 API).
use kernel::prelude::*;

module! {
    type: KunitHang,
    name: "kunit_hang",
    authors: ["rfl tests"],
    description: "rfl test cases",
    license: "GPL",
}

struct KunitHang;

impl kernel::Module for KunitHang {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KunitHang)
    }
}

#[kunit_tests(rfl_kunit_hang)]
mod tests {
    #[test]
    fn before() {
        assert_eq!(1 + 1, 2);
    }

    #[test]
    fn hangs() {
        loop {
            core::hint::spin_loop();
        }
    }

    #[test]
    fn after() {
        assert_eq!(2 + 2, 4);
    }
}
