// SPDX-License-Identifier: GPL-2.0

//! A minimal out-of-tree Rust module for Linux 6.12: logs on load, keeps a small vector, and logs
//! it again on unload. `rfl load examples/rust_hello` builds, loads and unloads it in QEMU.
//!
//! Linux 6.1 differs: `module!` takes byte strings (`name: b"rust_hello"`), `KVec` and
//! `GFP_KERNEL` do not exist (use `Vec` with `try_push(x)?`), and the prelude has fewer macros.
//! test/kernel/modules-6.1/rust_hello/ is this module in the 6.1 API.

use kernel::prelude::*;

module! {
    type: RustHello,
    name: "rust_hello",
    author: "Rust for Linux toolkit",
    description: "Minimal out-of-tree Rust module",
    license: "GPL",
}

struct RustHello {
    numbers: KVec<i32>,
}

impl kernel::Module for RustHello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // pr_info! adds the "rust_hello: " prefix itself.
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
