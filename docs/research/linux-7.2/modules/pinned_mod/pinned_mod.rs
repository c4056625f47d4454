// SPDX-License-Identifier: GPL-2.0
//! (b) InPlaceModule with #[pin_data], try_pin_init! and PinnedDrop (Linux 7.2 API).

use kernel::{new_mutex, prelude::*, sync::Mutex};

module! {
    type: PinnedMod,
    name: "pinned_mod",
    authors: ["Rust for Linux toolkit"],
    description: "InPlaceModule with pin-init (7.2 prototype)",
    license: "GPL",
}

#[pin_data(PinnedDrop)]
struct PinnedMod {
    #[pin]
    log: Mutex<KVec<u32>>,
    label: KBox<[u8; 8]>,
}

impl kernel::InPlaceModule for PinnedMod {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("init (in place)\n");
        try_pin_init!(Self {
            log <- new_mutex!(KVec::new()),
            // `?` is allowed inside try_pin_init!: the error type is `Error`.
            label: KBox::new(*b"pinned!\0", GFP_KERNEL)?,
        })
    }
}

#[pinned_drop]
impl PinnedDrop for PinnedMod {
    fn drop(self: Pin<&mut Self>) {
        let mut log = self.log.lock();
        // Fallible push in drop: ignore the (unlikely) allocation error.
        let _ = log.push(7, GFP_KERNEL);
        let _ = log.push(42, GFP_KERNEL);
        pr_info!(
            "pinned drop: log {:?}, label {:?}, self at {:p}\n",
            &log[..],
            core::str::from_utf8(&self.label[..7]),
            &*self
        );
    }
}
