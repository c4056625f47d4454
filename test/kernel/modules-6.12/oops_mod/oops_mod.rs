// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl load (Linux 6.12 API).
use kernel::prelude::*;

module! {
    type: TestModule,
    name: "oops_mod",
    author: "rfl tests",
    description: "rfl load test case",
    license: "GPL",
}

struct TestModule;

impl kernel::Module for TestModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init, about to dereference NULL\n");
        let null: *const u32 = core::ptr::null();
        // SAFETY: it is not safe: this reads address 0 on purpose, so that the kernel oopses.
        let value = unsafe { core::ptr::read_volatile(null) };
        pr_info!("unreachable {}\n", value);
        Ok(TestModule)
    }
}
