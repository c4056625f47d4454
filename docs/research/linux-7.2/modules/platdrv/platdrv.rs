// SPDX-License-Identifier: GPL-2.0
//! (d) Platform driver skeleton (Linux 7.2 API). Loads and registers; probe runs only if a
//! matching device (OF compatible "rfl,platdrv", ACPI "LNUXBEEF", or a platform device named
//! "platdrv") exists.

use kernel::{acpi, device::Core, of, platform, prelude::*, sync::aref::ARef};

struct PlatDrv {
    pdev: ARef<platform::Device>,
}

kernel::of_device_table!(
    OF_TABLE,
    MODULE_OF_TABLE,
    <PlatDrv as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c"rfl,platdrv"), ())]
);

kernel::acpi_device_table!(
    ACPI_TABLE,
    MODULE_ACPI_TABLE,
    <PlatDrv as platform::Driver>::IdInfo,
    [(acpi::DeviceId::new(c"LNUXBEEF"), ())]
);

impl platform::Driver for PlatDrv {
    type IdInfo = ();
    type Data<'bound> = Self;
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);
    const ACPI_ID_TABLE: Option<acpi::IdTable<Self::IdInfo>> = Some(&ACPI_TABLE);

    fn probe<'bound>(
        pdev: &'bound platform::Device<Core<'_>>,
        _id_info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        dev_info!(pdev, "probe\n");
        Ok(Self { pdev: pdev.into() })
    }
}

impl Drop for PlatDrv {
    fn drop(&mut self) {
        dev_info!(self.pdev, "remove\n");
    }
}

kernel::module_platform_driver! {
    type: PlatDrv,
    name: "platdrv",
    authors: ["Rust for Linux toolkit"],
    description: "Platform driver skeleton (7.2 prototype)",
    license: "GPL",
}
