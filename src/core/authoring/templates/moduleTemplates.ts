// Whole-module templates, each written for the API of the kernel it targets. Every one is compiled
// and loaded on the 6.1, 6.12 and 7.2 test kernels wherever it is offered (test/kernel/templates).
// The Rust here is snippet syntax (see snippetText.ts); `\\n` in these strings is Rust's `\n`.
import type { KernelApi } from '../kernelApi';
import { moduleDeclaration, printMacro, slots, SPDX, vecNew, vecPush, vecType, type TemplateContext } from './moduleParts';
import { placeholder } from './snippetText';

function header(ctx: TemplateContext, uses: string): string {
  return `${SPDX}\n\n//! ${slots(ctx).description}\n\n${uses}\n`;
}

export function minimalModule(api: KernelApi, ctx: TemplateContext): string {
  const { type } = slots(ctx);
  return `${header(ctx, 'use kernel::prelude::*;')}
${moduleDeclaration(api, ctx)}

struct ${type};

impl kernel::Module for ${type} {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // pr_info! puts the module name in front of the message.
        pr_info!("init\\n");$0
        Ok(${type})
    }
}

// The module is dropped when it is unloaded: this is its exit function.
impl Drop for ${type} {
    fn drop(&mut self) {
        pr_info!("exit\\n");
    }
}
`;
}

export function vectorModule(api: KernelApi, ctx: TemplateContext): string {
  const { type } = slots(ctx);
  const pushes = ['72', '108', '200'].map((value) => `        ${vecPush(api, 'numbers', value)};`).join('\n');
  return `${header(ctx, 'use kernel::prelude::*;')}
${moduleDeclaration(api, ctx)}

struct ${type} {
    numbers: ${vecType(api, 'i32')},
}

impl kernel::Module for ${type} {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init\\n");
        // Every allocation can fail: push returns an error instead of aborting.
        let mut numbers = ${vecNew(api)};
${pushes}$0
        Ok(${type} { numbers })
    }
}

impl Drop for ${type} {
    fn drop(&mut self) {
        pr_info!("exit: numbers {:?}\\n", self.numbers);
    }
}
`;
}

export function paramsModule(api: KernelApi, ctx: TemplateContext): string {
  const { type, name } = slots(ctx);
  const param = placeholder(5, 'count');
  const params = `params: {
    ${param}: u32 {
        default: ${placeholder(6, '3')},
        description: "${placeholder(7, 'How many numbers to keep (at most 64)')}",
    },
},`;
  const fail = printMacro(api, 'err') ?? 'pr_info!';
  return `${header(ctx, 'use kernel::prelude::*;')}
${moduleDeclaration(api, ctx, { extra: params })}

struct ${type} {
    numbers: ${vecType(api, 'u32')},
}

impl kernel::Module for ${type} {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Set it when loading: \`insmod ${name}.ko ${param}=5\`.
        let count = *module_parameters::${param}.value();
        pr_info!("init: count={}\\n", count);
        if count > 64 {
            ${fail}("count {} is too large (at most 64)\\n", count);
            return Err(EINVAL);
        }
        let mut numbers = ${vecNew(api)};
        for number in 0..count {
            ${vecPush(api, 'numbers', 'number')};
        }$0
        Ok(${type} { numbers })
    }
}

impl Drop for ${type} {
    fn drop(&mut self) {
        pr_info!("exit: numbers {:?}\\n", self.numbers);
    }
}
`;
}

export function pinnedModule(api: KernelApi, ctx: TemplateContext): string {
  const { type } = slots(ctx);
  return `${header(ctx, 'use kernel::{new_mutex, prelude::*, sync::Mutex};')}
${moduleDeclaration(api, ctx)}

// An in-place module is initialised where it will live, so it may hold pinned fields such as a
// mutex. A #[pin_data] type cleans up in PinnedDrop, never in Drop.
#[pin_data(PinnedDrop)]
struct ${type} {
    #[pin]
    log: Mutex<${vecType(api, 'u32')}>,
}

impl kernel::InPlaceModule for ${type} {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("init (in place)\\n");
        try_pin_init!(Self {
            // \`<-\` initialises a pinned field in place.
            log <- new_mutex!(${vecNew(api)}),$0
        })
    }
}

#[pinned_drop]
impl PinnedDrop for ${type} {
    fn drop(self: Pin<&mut Self>) {
        let mut log = self.log.lock();
        // An allocation may fail in drop too; there is nothing left to do about it here.
        let _ = log.push(42, GFP_KERNEL);
        pr_info!("exit: log {:?}\\n", &log[..]);
    }
}
${api.kunitTests ? pinnedTests(api, ctx) : ''}`;
}

/** KUnit tests (6.15+): the log initialised in place as init does it, then written and read back. */
function pinnedTests(api: KernelApi, ctx: TemplateContext): string {
  return `
#[kunit_tests(${slots(ctx).name}_tests)]
mod tests {
    use super::*;

    #[test]
    fn log_starts_empty_and_keeps_what_is_pushed() -> Result {
        let log = KBox::pin_init(new_mutex!(${vecNew(api)}), GFP_KERNEL)?;
        assert!(log.lock().is_empty());
        ${vecPush(api, 'log.lock()', '7')};
        assert_eq!(log.lock()[..], [7u32]);
        Ok(())
    }
}
`;
}

export function miscDeviceModule(api: KernelApi, ctx: TemplateContext): string {
  const { type, name } = slots(ctx);
  return `${header(
    ctx,
    `use kernel::{
    fs::{file, File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};`,
  )}
/// The most the buffer holds; a longer write fails with ENOSPC and keeps the old contents.
const MAX_LEN: usize = 4096;

// One buffer for every open: \`echo hi > /dev/NAME\` and \`cat /dev/NAME\` are two opens, and
// open() receives only the registration, which carries no data of ours.
kernel::sync::global_lock! {
    // SAFETY: Initialised in the module's init, before the device is registered.
    unsafe(uninit) static BUFFER: Mutex<KVec<u8>> = KVec::new();
}

${moduleDeclaration(api, ctx)}

#[pin_data(PinnedDrop)]
struct ${type} {
    #[pin]
    _device: MiscDeviceRegistration<OpenFile>,
}

impl kernel::InPlaceModule for ${type} {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called exactly once, before the device can be opened.
        unsafe { BUFFER.init() };
        pr_info!("registering /dev/${name}\\n");
        try_pin_init!(Self {
            _device <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"${name}",
            }),
        })
    }
}

#[pinned_drop]
impl PinnedDrop for ${type} {
    fn drop(self: Pin<&mut Self>) {
        let mut buffer = BUFFER.lock();
        pr_info!("exit: the buffer held {} bytes\\n", buffer.len());
        // A static is never dropped: free the heap memory before the module goes.
        *buffer = KVec::new();
    }
}

/// What each open of the device keeps: whether writes append (\`>>\` opens with O_APPEND).
struct OpenFile {
    append: bool,
}

#[vtable]
impl MiscDevice for OpenFile {
    type Ptr = KBox<Self>;

    fn open(file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        let append = file.flags() & file::flags::O_APPEND != 0;
        Ok(KBox::new(OpenFile { append }, GFP_KERNEL)?)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let buffer = BUFFER.lock();
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &buffer)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        // A write at the start of a file not opened for appending replaces the contents.
        let replace = kiocb.ki_pos() == 0 && !kiocb.file().append;
        let mut buffer = BUFFER.lock();
        if kept_on_write(buffer.len(), iov.len(), replace)? == 0 {
            buffer.clear();
        }
        let len = iov.copy_from_iter_vec(&mut buffer, GFP_KERNEL)?;
        *kiocb.ki_pos_mut() += len as i64;$0
        Ok(len)
    }
}

/// How many bytes of the old contents a write of \`len\` bytes keeps (none when it replaces them),
/// or ENOSPC when the buffer would grow past MAX_LEN.
fn kept_on_write(old_len: usize, len: usize, replace: bool) -> Result<usize> {
    let kept = if replace { 0 } else { old_len };
    if kept + len > MAX_LEN {
        return Err(ENOSPC);
    }
    Ok(kept)
}
${api.kunitTests ? miscDeviceTests(ctx) : ''}`;
}

/** KUnit tests (6.15+) of the write rule: replace, append, and the size limit. */
function miscDeviceTests(ctx: TemplateContext): string {
  return `
#[kunit_tests(${slots(ctx).name}_tests)]
mod tests {
    use super::*;

    #[test]
    fn a_write_from_the_start_replaces() {
        assert_eq!(kept_on_write(10, 3, true), Ok(0));
    }

    #[test]
    fn an_append_keeps_the_old_contents() {
        assert_eq!(kept_on_write(10, 3, false), Ok(10));
    }

    #[test]
    fn the_buffer_never_grows_past_max_len() {
        assert_eq!(kept_on_write(0, MAX_LEN, true), Ok(0));
        assert_eq!(kept_on_write(MAX_LEN, 1, false), Err(ENOSPC));
        assert_eq!(kept_on_write(MAX_LEN, 1, true), Ok(0));
    }
}
`;
}

export function platformDriverModule(api: KernelApi, ctx: TemplateContext): string {
  const { type, name } = slots(ctx);
  return `${header(ctx, 'use kernel::{acpi, device::Core, of, platform, prelude::*, sync::aref::ARef};')}
/// Bound to each matching device: probe() creates it, dropping it is the remove.
struct ${type} {
    pdev: ARef<platform::Device>,
}

// Devices this driver binds to: a device-tree "compatible" string and an ACPI ID (replace both).
kernel::of_device_table!(
    OF_TABLE,
    MODULE_OF_TABLE,
    <${type} as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"${placeholder(5, 'vendor')},${name}"), ())]
);

kernel::acpi_device_table!(
    ACPI_TABLE,
    MODULE_ACPI_TABLE,
    <${type} as platform::Driver>::IdInfo,
    [(acpi::DeviceId::new(c"${placeholder(6, 'LNUXBEEF')}"), ())]
);

impl platform::Driver for ${type} {
    type IdInfo = ();
    type Data<'bound> = Self;
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);
    const ACPI_ID_TABLE: Option<acpi::IdTable<Self::IdInfo>> = Some(&ACPI_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _id_info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        dev_info!(pdev, "probe\\n");$0
        Ok(Self { pdev: pdev.into() })
    }
}

impl Drop for ${type} {
    fn drop(&mut self) {
        dev_info!(self.pdev, "remove\\n");
    }
}

// Registers the driver on load and unregisters it on unload: no Module type of our own.
${moduleDeclaration(api, ctx, { macro: 'kernel::module_platform_driver!' })}
`;
}
