// SPDX-License-Identifier: GPL-2.0
//! (a) Minimal module with `authors` and a `params` block (Linux 7.2 API).

use kernel::prelude::*;

module! {
    type: ParamsMod,
    name: "params_mod",
    authors: ["Rust for Linux toolkit", "Second Author"],
    description: "Minimal module with authors and params (7.2 prototype)",
    license: "GPL",
    params: {
        count: u32 {
            default: 3,
            description: "How many numbers to store",
        },
        offset: i64 {
            default: -1,
            description: "Added to every stored number",
        },
    },
}

struct ParamsMod {
    numbers: KVec<i64>,
}

impl kernel::Module for ParamsMod {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count = *module_parameters::count.value();
        let offset = *module_parameters::offset.value();
        pr_info!("init: count={} offset={}\n", count, offset);
        if count > 64 {
            pr_err!("count {} is too large (max 64)\n", count);
            return Err(EINVAL);
        }
        let mut numbers = KVec::with_capacity(count as usize, GFP_KERNEL)?;
        for i in 0..i64::from(count) {
            numbers.push(i + offset, GFP_KERNEL)?;
        }
        Ok(ParamsMod { numbers })
    }
}

impl Drop for ParamsMod {
    fn drop(&mut self) {
        pr_info!("exit: numbers {:?}\n", self.numbers);
    }
}
