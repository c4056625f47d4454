// The module-authoring core without a kernel: API facts by version and from macro sources, the
// snippet syntax, module! checks and their fixes, the refactorings, and the static snippets file.
// (test/kernel/ compiles and loads the same templates, fixes and checks on real kernels.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseModuleKeys, parseParamTypes } from '../../src/core/authoring/detectKernelApi';
import { initialValue } from '../../src/core/authoring/fieldInit';
import { apiForVersion, newestApi, type KernelApi } from '../../src/core/authoring/kernelApi';
import { moduleActions } from '../../src/core/authoring/moduleActions';
import { checkModuleMacros, type ModuleFinding } from '../../src/core/authoring/moduleChecks';
import { availableTemplates, MODULE_TEMPLATES, moduleNameProblem, typeNameFor } from '../../src/core/authoring/templates/registry';
import { snippetToPlainText } from '../../src/core/authoring/templates/snippetText';
import { staticSnippetsJson } from '../../src/core/authoring/templates/staticSnippets';
import { createRustParser, type Parser } from '../../src/core/parse/rustParser';
import type { Fix } from '../../src/core/safety/findings';

const API_6_1 = apiForVersion({ version: 6, patchlevel: 1, text: '6.1.192' });
const API_6_12: KernelApi = { ...apiForVersion({ version: 6, patchlevel: 12, text: '6.12.117' }), vector: 'kvec' };
const API_7_2 = apiForVersion({ version: 7, patchlevel: 2, text: '7.2.13' });

let parser: Parser;
before(async () => {
  parser = await createRustParser();
});

function check(text: string, api: KernelApi): ModuleFinding[] {
  const tree = parser.parse(text)!;
  try {
    return checkModuleMacros({ root: tree.rootNode, text, api, fileName: 'rust_hello.rs' });
  } finally {
    tree.delete();
  }
}

function summary(findings: ModuleFinding[]): string[] {
  return findings.map((finding) => `${finding.range.start.line}:${finding.check}`);
}

function apply(text: string, fix: Fix): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.rs', 'rust', 1, text), fix.edits);
}

function module(
  keys: string,
  rest = "struct RustHello;\nimpl kernel::Module for RustHello {\n    fn init(_m: &'static ThisModule) -> Result<Self> { Ok(RustHello) }\n}\n",
): string {
  return `use kernel::prelude::*;\n\nmodule! {\n${keys
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}\n}\n\n${rest}`;
}

describe('kernel API facts', () => {
  it('reads module! keys from the 6.x macro source (EXPECTED_KEYS and expect_* helpers)', () => {
    const source = `const EXPECTED_KEYS: &[&str] =\n  &["type", "name", "author", "description", "license", "alias"];\nconst REQUIRED_KEYS: &[&str] = &["type", "name", "license"];\n"type" => info.type_ = expect_ident(it),\n"name" => info.name = expect_byte_string(it),\n"author" => info.author = Some(expect_byte_string(it)),\n"alias" => info.alias = Some(expect_string_array(it)),`;
    const keys = parseModuleKeys(source)!;
    assert.deepEqual(
      keys.map((key) => `${key.name}:${key.kind}${key.required ? '!' : ''}`),
      ['type:ident!', 'name:byteString!', 'author:byteString', 'description:string', 'license:string!', 'alias:stringArray'],
    );
  });

  it("reads module! keys from 7.x's parse_ordered_fields! (whose own EXPECTED_KEYS names no key)", () => {
    const source = `const EXPECTED_KEYS: &[&str] = &[$(stringify!($key),)*];
impl Parse for ModuleInfo {
    fn parse(input: ParseStream<'_>) -> Result<Self> {
        parse_ordered_fields!(
            from input;
            type as type_ [required] => input.parse()?,
            name [required] => input.parse()?,
            authors => {
                let list;
                bracketed!(list in input);
                Punctuated::parse_terminated(&list)?
            },
            description => input.parse()?,
            license [required] => input.parse()?,
            params => {
                let list;
                braced!(list in input);
                Punctuated::parse_terminated(&list)?
            },
        );
        Ok(ModuleInfo { type_ })
fn param_ops_path(param_type: &str) -> Path {
    match param_type {
        "i8" => parse_quote!(::kernel::module_param::PARAM_OPS_I8),
        "u32" => parse_quote!(::kernel::module_param::PARAM_OPS_U32),
        t => panic!("Unsupported parameter type {}", t),
    }
}`;
    assert.deepEqual(
      parseModuleKeys(source)!.map((key) => `${key.name}:${key.kind}${key.required ? '!' : ''}`),
      ['type:ident!', 'name:string!', 'authors:stringArray', 'description:string', 'license:string!', 'params:params'],
    );
    assert.deepEqual(parseParamTypes(source), ['i8', 'u32']);
  });

  it('knows the API changes by version', () => {
    assert.equal(API_6_1.vector, 'vecTryPush');
    assert.deepEqual(API_6_1.moduleKeys.map((key) => key.kind).slice(1, 3), ['byteString', 'byteString']);
    assert.ok(API_7_2.moduleKeys.some((key) => key.name === 'authors') && !API_7_2.moduleKeys.some((key) => key.name === 'author'));
    assert.equal(newestApi().source, 'assumed');
  });

  it('offers only the templates a kernel has the API for', () => {
    const ids = (api: KernelApi) => availableTemplates(api, MODULE_TEMPLATES).map((template) => template.id);
    assert.deepEqual(ids(API_6_1), ['minimal', 'vector']);
    assert.deepEqual(ids(API_6_12), ['minimal', 'vector']);
    assert.deepEqual(ids(API_7_2), ['minimal', 'vector', 'params', 'pinned', 'misc-device', 'platform-driver']);
    assert.ok(!availableTemplates(API_6_1).some((template) => template.id === 'pr_err'));
  });
});

describe('templates', () => {
  it('renders snippet syntax as plain text: defaults, tab stops and escapes', () => {
    assert.equal(snippetToPlainText('a ${1:x} b $2 c$0 \\$ \\} \\\\ "\\n" ${3:outer ${4:inner}}'), 'a x b  c $ } \\ "\\n" outer inner');
  });

  it('writes module! the way each kernel wants it', () => {
    const body = (api: KernelApi) =>
      snippetToPlainText(
        MODULE_TEMPLATES[0]!.body(api, { moduleName: 'rust_hello', typeName: 'RustHello', author: 'A', description: 'd' }),
      );
    assert.match(body(API_6_1), /name: b"rust_hello",\n {4}author: b"A",/);
    assert.match(body(API_6_12), /name: "rust_hello",\n {4}author: "A",/);
    assert.match(body(API_7_2), /name: "rust_hello",\n {4}authors: \["A"\],/);
  });

  it('every template passes its own module! checks on every kernel it is offered for', () => {
    for (const api of [API_6_1, API_6_12, API_7_2]) {
      for (const template of availableTemplates(api, MODULE_TEMPLATES)) {
        const text = snippetToPlainText(
          template.body(api, { moduleName: 'rust_hello', typeName: 'RustHello', author: 'A', description: 'd' }),
        );
        assert.deepEqual(summary(check(text, api)), [], `${template.id} on ${api.version}`);
      }
    }
  });

  it('keeps snippets/rust-for-linux.json equal to the registry (npm run snippets)', () => {
    const file = readFileSync(path.join(__dirname, '..', '..', 'snippets', 'rust-for-linux.json'), 'utf8');
    assert.equal(file, staticSnippetsJson());
  });

  it('names modules and types', () => {
    assert.equal(typeNameFor('rust_misc_buf'), 'RustMiscBuf');
    assert.equal(moduleNameProblem('rust_hello'), undefined);
    assert.match(moduleNameProblem('9lives') ?? '', /not a valid module name/);
    assert.match(moduleNameProblem('a-b') ?? '', /not a valid module name/);
  });
});

describe('module! checks', () => {
  const good = 'type: RustHello,\nname: "rust_hello",\nauthors: ["A"],\nlicense: "GPL",';

  it('accepts a correct declaration', () => {
    assert.deepEqual(summary(check(module(good), API_7_2)), []);
  });

  it('mirrors the macro: unknown, duplicated, missing and misordered keys', () => {
    assert.deepEqual(summary(check(module('type: RustHello,\nname: "x",\nlicence: "GPL",'), API_7_2)), [
      '5:module_unknown_key',
      '2:module_missing_key',
    ]);
    assert.deepEqual(summary(check(module(`${good}\nlicense: "GPL",`), API_7_2)), ['7:module_duplicate_key']);
    assert.deepEqual(summary(check(module('name: "x",\ntype: RustHello,\nlicense: "GPL",'), API_7_2)), ['3:module_key_order']);
    const [unknown] = check(module('type: RustHello,\nname: "x",\nfoo: "y",\nlicense: "GPL",'), API_7_2);
    assert.match(unknown!.message, /^unknown key "foo"\. Valid keys are: \["type", "name", "authors",/);
  });

  it('follows the kernel: author on 6.12, authors on 7.2, byte strings on 6.1', () => {
    const withAuthor = module('type: RustHello,\nname: "x",\nauthor: "A",\nlicense: "GPL",');
    assert.deepEqual(summary(check(withAuthor, API_6_12)), []);
    const [finding] = check(withAuthor, API_7_2);
    assert.equal(finding?.check, 'module_unknown_key');
    const converted = apply(withAuthor, finding!.fixes[0]!);
    assert.match(converted, /authors: \["A"\],/);
    assert.deepEqual(summary(check(converted, API_7_2)), []);

    const strings = module('type: RustHello,\nname: "x",\nlicense: "GPL",');
    const onOld = check(strings, API_6_1);
    assert.deepEqual(summary(onOld), ['4:module_value_kind', '5:module_value_kind']);
    const bytes = apply(strings, onOld[0]!.fixes[0]!);
    assert.match(bytes, /name: b"x",\n {4}license: b"GPL",/);
    assert.deepEqual(summary(check(bytes, API_6_1)), []);
  });

  it('without a kernel, never calls an older spelling an error', () => {
    assert.deepEqual(summary(check(module('type: RustHello,\nname: b"x",\nauthor: b"A",\nlicense: b"GPL",'), newestApi())), []);
    assert.deepEqual(summary(check(module('type: RustHello,\nname: "x",'), newestApi())), ['2:module_missing_key']);
  });

  it('without a kernel, lists the keys some kernel takes (author too) when it reports an unknown key', () => {
    const findings = check(module('type: RustHello,\nname: "x",\nauthor: "A",\nfoo: "y",\nlicense: "GPL",'), newestApi());
    assert.deepEqual(summary(findings), ['6:module_unknown_key']);
    assert.match(
      findings[0]!.message,
      /^unknown key "foo"\. Valid keys are: \(on some kernel\) \["type", "name", "author", "authors", "description", "license", "alias", "firmware", "imports_ns", "params"\]\. Set rustForLinux\.kernelDir/,
    );
  });

  it('reports a missing comma, a type that names nothing, and a type without Module', () => {
    assert.deepEqual(summary(check(module('type: RustHello,\nname: "x",\nlicense: "GPL"'), API_7_2)), ['5:module_syntax']);
    assert.deepEqual(summary(check(module('type: Nope,\nname: "x",\nlicense: "GPL",'), API_7_2)), ['3:module_type_not_found']);
    const noImpl = module('type: RustHello,\nname: "x",\nlicense: "GPL",', 'struct RustHello {\n    count: u32,\n}\n');
    const [missing] = check(noImpl, API_6_12);
    assert.equal(missing?.check, 'module_missing_impl');
    const implemented = apply(noImpl, missing!.fixes[0]!);
    assert.match(implemented, /impl kernel::Module for RustHello \{[\s\S]*Ok\(Self \{\n {12}count: 0,\n {8}\}\)/);
    assert.deepEqual(summary(check(implemented, API_6_12)), []);
  });

  it('checks params on kernels that have them', () => {
    const params = (inner: string) => module(`type: RustHello,\nname: "x",\nlicense: "GPL",\nparams: {\n    ${inner}\n},`);
    assert.deepEqual(summary(check(params('count: u32 { default: 1, description: "d", },'), API_7_2)), []);
    assert.deepEqual(summary(check(params('flag: bool { default: 1, description: "d", },'), API_7_2)), ['7:module_param']);
    assert.deepEqual(summary(check(params('count: u32 { description: "d", default: 1, },'), API_7_2)), ['7:module_param']);
    assert.deepEqual(summary(check(params('count: u32 { default: 1, description: "d", },'), API_6_12)), ['6:module_unknown_key']);
  });

  it('puts keys in order with one fix, and leaves comments where a reorder would move them', () => {
    const text = module('name: "x",\ntype: RustHello,\nlicense: "GPL",');
    const [finding] = check(text, API_7_2);
    const fixed = apply(text, finding!.fixes[0]!);
    assert.match(fixed, /type: RustHello,\n {4}name: "x",/);
    assert.deepEqual(summary(check(fixed, API_7_2)), []);
    const commented = module('name: "x", // the name\ntype: RustHello,\nlicense: "GPL",');
    assert.deepEqual(check(commented, API_7_2)[0]!.fixes, []);
  });
});

describe('module refactorings', () => {
  function actionsAt(text: string, marker: string, api: KernelApi): Fix[] {
    const tree = parser.parse(text)!;
    const offset = text.indexOf(marker);
    try {
      return moduleActions({ root: tree.rootNode, text, api, start: offset, end: offset, fileName: 'rust_hello.rs' });
    } finally {
      tree.delete();
    }
  }

  it('adds the exit: Drop for a plain struct, PinnedDrop (and the attribute) for #[pin_data]', () => {
    const plain = module('type: RustHello,\nname: "x",\nlicense: "GPL",');
    const drop = actionsAt(plain, 'struct RustHello', API_7_2).find((fix) => fix.title.startsWith('Add a Drop exit'));
    assert.ok(drop);
    assert.match(apply(plain, drop), /impl Drop for RustHello \{\n {4}fn drop\(&mut self\) \{/);

    const pinned = module(
      'type: RustHello,\nname: "x",\nlicense: "GPL",',
      '#[pin_data]\nstruct RustHello {\n    #[pin]\n    log: Mutex<KVec<u32>>,\n}\n',
    );
    const titles = actionsAt(pinned, 'struct RustHello', API_7_2).map((fix) => fix.title);
    assert.deepEqual(titles, ['Implement kernel::InPlaceModule for RustHello', 'Add a PinnedDrop exit for RustHello']);
    const [implement, exit] = actionsAt(pinned, 'struct RustHello', API_7_2);
    const done = apply(apply(pinned, implement!), actionsAt(apply(pinned, implement!), 'struct RustHello', API_7_2)[0]!);
    assert.match(done, /#\[pin_data\(PinnedDrop\)\]/);
    assert.match(done, /log <- kernel::new_mutex!\(KVec::new\(\)\),/);
    assert.ok(exit);
    // 6.12 has no InPlaceModule: a Module cannot hold a pinned mutex, so no impl is offered.
    assert.ok(!actionsAt(pinned, 'struct RustHello', API_6_12).some((fix) => fix.title.startsWith('Implement')));
  });

  it('declares the module for a type that implements Module', () => {
    const text =
      "use kernel::prelude::*;\n\nstruct Hello;\n\nimpl kernel::Module for Hello {\n    fn init(_m: &'static ThisModule) -> Result<Self> { Ok(Hello) }\n}\n";
    const fix = actionsAt(text, 'impl kernel::Module', API_6_1).find((candidate) => candidate.title.startsWith('Add a module!'));
    const declared = apply(text, fix!);
    assert.match(declared, /use kernel::prelude::\*;\n\nmodule! \{\n {4}type: Hello,\n {4}name: b"rust_hello",/);
    assert.deepEqual(summary(check(declared, API_6_1)), []);
  });

  it('converts author <-> authors where the kernel takes the other form', () => {
    const text = module('type: RustHello,\nname: "x",\nauthors: ["A", "B"],\nlicense: "GPL",');
    const fix = actionsAt(text, 'authors', newestApi()).find((candidate) => candidate.title.startsWith('Convert to author:'));
    assert.match(apply(text, fix!), /author: "A, B",/);
  });
});

describe('field initialisers', () => {
  it('builds each known type and leaves a compile error, not a panic, for the rest', () => {
    assert.equal(initialValue('u32', API_7_2).expression, '0');
    assert.equal(initialValue('KVec<u8>', API_7_2).expression, 'KVec::new()');
    assert.equal(initialValue('Vec<u8>', API_6_1).expression, 'Vec::new()');
    assert.equal(initialValue('Option<KBox<u8>>', API_7_2).expression, 'None');
    assert.equal(initialValue('KBox<u32>', API_7_2).expression, 'KBox::new(0, GFP_KERNEL)?');
    assert.deepEqual(initialValue('Mutex<u32>', API_7_2, true), { expression: 'kernel::new_mutex!(0)', inPlace: true });
    assert.equal(initialValue('ARef<Device>', API_7_2).expression, 'Default::default()');
  });
});
