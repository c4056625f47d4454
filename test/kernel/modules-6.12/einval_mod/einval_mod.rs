// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl load (Linux 6.12 API).
use kernel::prelude::*;

module! {
    type: TestModule,
    name: "einval_mod",
    author: "rfl tests",
    description: "rfl load test case",
    license: "GPL",
}

struct TestModule;

impl kernel::Module for TestModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init, about to fail\n");
        Err(EINVAL)
    }
}
