// SPDX-License-Identifier: GPL-2.0
//! (c) Misc character device `/dev/rust-miscbuf` with a Mutex-protected KVec<u8> buffer that
//! user space can write and read back (Linux 7.2 API: MiscDevice::write_iter/read_iter).
//!
//! The buffer is shared by all opens (`echo hello > /dev/rust-miscbuf; cat /dev/rust-miscbuf`
//! uses two opens), so it lives in a global mutex (`kernel::sync::global_lock!`), initialised
//! in the module's init. A write at file position 0 replaces the contents; later writes on
//! the same open, and every write on a file opened with O_APPEND (`>>`), append.

use kernel::{
    fs::{file, File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

const MAX_LEN: usize = 4096;

kernel::sync::global_lock! {
    // SAFETY: Initialised in the module initialiser before the device is registered.
    unsafe(uninit) static BUF: Mutex<KVec<u8>> = KVec::new();
}

module! {
    type: MiscBufModule,
    name: "miscbuf",
    authors: ["Rust for Linux toolkit"],
    description: "Misc device with a write/read-back buffer (7.2 prototype)",
    license: "GPL",
}

#[pin_data(PinnedDrop)]
struct MiscBufModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<MiscBuf>,
}

impl kernel::InPlaceModule for MiscBufModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called exactly once, before the device can be opened.
        unsafe { BUF.init() };
        pr_info!("registering /dev/rust-miscbuf\n");
        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"rust-miscbuf",
            }),
        })
    }
}

#[pinned_drop]
impl PinnedDrop for MiscBufModule {
    fn drop(self: Pin<&mut Self>) {
        let mut buf = BUF.lock();
        pr_info!("exit, buffer holds {} bytes\n", buf.len());
        // The static outlives the module's memory management: free the heap buffer now.
        *buf = KVec::new();
    }
}

/// Per-open state: only whether the file was opened with O_APPEND; the data is global.
struct MiscBuf {
    append: bool,
}

#[vtable]
impl MiscDevice for MiscBuf {
    type Ptr = KBox<Self>;

    fn open(file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        let append = file.flags() & file::flags::O_APPEND != 0;
        Ok(KBox::new(MiscBuf { append }, GFP_KERNEL)?)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let buf = BUF.lock();
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &buf)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let replace = kiocb.ki_pos() == 0 && !kiocb.file().append;
        let mut buf = BUF.lock();
        let base = if replace { 0 } else { buf.len() };
        if base + iov.len() > MAX_LEN {
            return Err(ENOSPC);
        }
        if replace {
            buf.clear();
        }
        let len = iov.copy_from_iter_vec(&mut buf, GFP_KERNEL)?;
        *kiocb.ki_pos_mut() += len as i64;
        pr_info!("wrote {} bytes, buffer now {} bytes\n", len, buf.len());
        Ok(len)
    }
}
