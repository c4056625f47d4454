// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl load (Linux 6.1 API: byte-string keys).
use kernel::prelude::*;

module! {
    type: TestModule,
    name: b"compile_error",
    author: b"rfl tests",
    description: b"rfl load test case",
    license: b"GPL",
}

struct TestModule;

impl kernel::Module for TestModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count: u32 = "three";
        pr_info!("count {}\n", count);
        Ok(TestModule)
    }
}
