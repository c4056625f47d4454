// SPDX-License-Identifier: GPL-2.0

//! examples/rust_hello in the Linux 7.2 API: `module!` takes `authors: [...]` instead of `author:`.

use kernel::prelude::*;

module! {
    type: RustHello,
    name: "rust_hello",
    authors: ["Rust for Linux toolkit"],
    description: "Minimal out-of-tree Rust module",
    license: "GPL",
}

struct RustHello {
    numbers: KVec<i32>,
}

impl kernel::Module for RustHello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello from Rust (init)\n");
        let mut numbers = KVec::new();
        numbers.push(72, GFP_KERNEL)?;
        numbers.push(108, GFP_KERNEL)?;
        numbers.push(200, GFP_KERNEL)?;
        Ok(RustHello { numbers })
    }
}

impl Drop for RustHello {
    fn drop(&mut self) {
        pr_info!("My numbers are {:?}\n", self.numbers);
        pr_info!("Goodbye from Rust (exit)\n");
    }
}
