// Generated Rust for the module / init / exit pattern: a Module or InPlaceModule impl whose init
// builds every field, a Drop or PinnedDrop exit, and a `module!` declaration. Used by the quick
// fixes and refactorings, and compiled on the test kernels like the templates.
import { initialValue } from './fieldInit';
import type { KernelApi } from './kernelApi';
import type { StructInfo } from './moduleFile';
import { moduleDeclaration } from './templates/moduleParts';
import { snippetToPlainText } from './templates/snippetText';

/** In-place when the struct is `#[pin_data]` and the kernel has InPlaceModule. */
export function usesInPlaceModule(struct: StructInfo, api: KernelApi): boolean {
  return struct.pinData !== undefined && api.inPlaceModule;
}

export function moduleImplText(struct: StructInfo, api: KernelApi): string {
  const inPlace = usesInPlaceModule(struct, api);
  const inits = struct.fields.map((field) => ({ field, value: initialValue(field.type, api, inPlace && field.pinned) }));
  let construct: string;
  if (struct.shape === 'unit') construct = 'Self';
  else if (struct.shape === 'tuple') construct = `Self(${inits.map(({ value }) => value.expression).join(', ')})`;
  else {
    const lines = inits.map(({ field, value }) => `            ${field.name ?? '_'}${value.inPlace ? ' <-' : ':'} ${value.expression},`);
    construct = lines.length === 0 ? 'Self {}' : `Self {\n${lines.join('\n')}\n        }`;
  }
  if (inPlace) {
    return `impl kernel::InPlaceModule for ${struct.name} {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("init\\n");
        try_pin_init!(${construct})
    }
}`;
  }
  return `impl kernel::Module for ${struct.name} {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init\\n");
        Ok(${construct})
    }
}`;
}

export interface DropCode {
  /** The impl to add after the struct's other impls. */
  implText: string;
  /** For `#[pin_data]`: the attribute's replacement, which must name PinnedDrop. */
  pinDataAttribute?: string;
}

export function dropImplCode(struct: StructInfo, api: KernelApi): DropCode {
  if (struct.pinData !== undefined && api.pinInit) {
    return {
      implText: `#[pinned_drop]
impl PinnedDrop for ${struct.name} {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("exit\\n");
    }
}`,
      ...(struct.pinnedDropDeclared ? {} : { pinDataAttribute: '#[pin_data(PinnedDrop)]' }),
    };
  }
  return {
    implText: `impl Drop for ${struct.name} {
    fn drop(&mut self) {
        pr_info!("exit\\n");
    }
}`,
  };
}

/** `rust_hello.rs` → `rust_hello`; a name module! accepts. */
export function moduleNameFromFile(fileName: string | undefined, typeName: string): string {
  const stem = fileName?.replace(/^.*[\\/]/, '').replace(/\.rs$/, '');
  if (stem && /^[A-Za-z_]\w*$/.test(stem) && stem !== 'lib' && stem !== 'main' && stem !== 'mod') return stem;
  return typeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function moduleDeclarationText(api: KernelApi, typeName: string, moduleName: string): string {
  const ctx = { moduleName, typeName, author: 'Your Name <you@example.com>', description: `${moduleName} kernel module` };
  return snippetToPlainText(moduleDeclaration(api, ctx));
}
