// SPDX-License-Identifier: GPL-2.0
//! Test module for rfl load (Linux 6.12 API).
use kernel::prelude::*;
use kernel::bindings;

module! {
    type: TestModule,
    name: "warn_mod",
    author: "rfl tests",
    description: "rfl load test case",
    license: "GPL",
}

struct TestModule;

impl kernel::Module for TestModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init, about to WARN\n");
        // SAFETY: an all-zero refcount_t is a valid refcount of 0.
        let mut refcount: bindings::refcount_t = unsafe { core::mem::zeroed() };
        // SAFETY: `refcount` is a live refcount_t; reporting a use-after-free on it is a real C
        // WARN (lib/refcount.c), which is what this test needs.
        unsafe {
            bindings::refcount_warn_saturate(&mut refcount, bindings::refcount_saturation_type_REFCOUNT_SUB_UAF)
        };
        pr_info!("continued after WARN\n");
        Ok(TestModule)
    }
}

impl Drop for TestModule {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
