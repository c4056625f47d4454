// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl load (Linux 6.1 API: byte-string keys).
use kernel::prelude::*;

module! {
    type: TestModule,
    name: b"hang_mod",
    author: b"rfl tests",
    description: b"rfl load test case",
    license: b"GPL",
}

struct TestModule;

impl kernel::Module for TestModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init, about to hang\n");
        loop {
            core::hint::spin_loop();
        }
    }
}
