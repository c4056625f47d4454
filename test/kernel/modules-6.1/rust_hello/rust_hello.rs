// SPDX-License-Identifier: GPL-2.0

//! examples/rust_hello in the Linux 6.1 API: byte-string `module!` keys, `Vec` with `try_push`.

use kernel::prelude::*;

module! {
    type: RustHello,
    name: b"rust_hello",
    author: b"Rust for Linux toolkit",
    description: b"Minimal out-of-tree Rust module",
    license: b"GPL",
}

struct RustHello {
    numbers: Vec<i32>,
}

impl kernel::Module for RustHello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello from Rust (init)\n");
        let mut numbers = Vec::new();
        numbers.try_push(72)?;
        numbers.try_push(108)?;
        numbers.try_push(200)?;
        Ok(RustHello { numbers })
    }
}

impl Drop for RustHello {
    fn drop(&mut self) {
        pr_info!("My numbers are {:?}\n", self.numbers);
        pr_info!("Goodbye from Rust (exit)\n");
    }
}
