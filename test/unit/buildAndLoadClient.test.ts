// The editor-free logic behind the VS Code build-and-load features (src/client/*.ts without a
// `vscode` import): settings validation, module-folder detection, task definitions → core options,
// one run at a time, the pseudoterminal's buffering, and a task's whole run with a stand-in core.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BuildOptions, BuildResult } from '../../src/core/kbuild/build';
import type { Toolchain } from '../../src/core/toolchain/toolchain';
import { LoadSetupError, type LoadOptions } from '../../src/core/qemu/loadRun';
import type { LoadVerdict } from '../../src/core/qemu/verdict';
import { findModuleFolders, isModuleFolder, moduleForFile, pickActiveModule } from '../../src/client/moduleFolders';
import { RunGate } from '../../src/client/runGate';
import { linkedProjectEntry, mergeLinkedProjects } from '../../src/client/rustAnalyzerProject';
import {
  BUILD_LOAD_SETTINGS,
  DEFAULT_LOAD_TIMEOUT_SECONDS,
  readBuildLoadSettings,
  RESTRICTED_SETTINGS,
  resolveSettingPath,
  type BuildLoadSettings,
} from '../../src/client/settings';
import {
  definitionFor,
  parseTaskDefinition,
  planTask,
  RFL_COMMANDS,
  taskName,
  type PlanDependencies,
  type RflTaskDefinition,
  type TaskPlan,
} from '../../src/client/taskDefinition';
import { executeTaskRequest, UNTRUSTED_MESSAGE } from '../../src/client/taskExecution';
import type { LineStyle, OutputSink } from '../../src/core/tasks/output';
import { runTaskPlan, type CoreCalls } from '../../src/client/taskRun';
import { TerminalBuffer, terminalSafe } from '../../src/client/terminalBuffer';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { type: string }> };
    taskDefinitions: { type: string; properties: { command: { enum: string[] } } }[];
    commands: { command: string }[];
    problemMatchers: { name: string }[];
  };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

const source = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] });

class Lines implements OutputSink {
  readonly lines: { text: string; style: LineStyle }[] = [];
  line(text: string, style: LineStyle = 'plain'): void {
    this.lines.push({ text, style });
  }
  get text(): string {
    return this.lines.map((line) => line.text).join('\n');
  }
}

const TOOLCHAIN: Toolchain = { llvm: true, makeArgs: [] };

describe('settings', () => {
  it('defaults when nothing is set', () => {
    const { settings, problems } = readBuildLoadSettings(source({}), '/ws');
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      kernelDir: undefined,
      makeExtraArgs: [],
      rustc: undefined,
      bindgen: undefined,
      buildDir: undefined,
      loadTimeoutSeconds: DEFAULT_LOAD_TIMEOUT_SECONDS,
      loadAccel: 'auto',
      loadParams: [],
      loadGuestScript: undefined,
    } satisfies BuildLoadSettings);
  });

  it('resolves paths against the workspace folder, ~ and ${workspaceFolder}; leaves program names for PATH', () => {
    const { settings, problems } = readBuildLoadSettings(
      source({
        kernelDir: '../linux',
        buildDir: '~/build',
        rustc: 'rustc-1.78',
        bindgen: '${workspaceFolder}/tools/bindgen',
        'load.guestScript': 'scripts/exercise.sh',
        'make.extraArgs': ['KCFLAGS=-g', 'V=1'],
        'load.params': ['count=3', 'name=x'],
        'load.timeoutSeconds': 15,
        'load.accel': 'tcg',
      }),
      '/ws/mod',
      '/home/me',
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.kernelDir, '/ws/linux');
    assert.equal(settings.buildDir, '/home/me/build');
    assert.equal(settings.rustc, 'rustc-1.78');
    assert.equal(settings.bindgen, '/ws/mod/tools/bindgen');
    assert.equal(settings.loadGuestScript, '/ws/mod/scripts/exercise.sh');
    assert.deepEqual(settings.makeExtraArgs, ['KCFLAGS=-g', 'V=1']);
    assert.deepEqual(settings.loadParams, ['count=3', 'name=x']);
    assert.equal(settings.loadTimeoutSeconds, 15);
    assert.equal(settings.loadAccel, 'tcg');
    assert.equal(resolveSettingPath('/abs', '/ws'), '/abs');
  });

  it('reports each wrong value by its setting name and falls back to the default', () => {
    const { settings, problems } = readBuildLoadSettings(
      source({
        kernelDir: 42,
        'make.extraArgs': 'V=1',
        'load.params': ['ok=1', 'two words=x', 7],
        'load.timeoutSeconds': -1,
        'load.accel': 'hvf',
        rustc: 'bad\0name',
      }),
      '/ws',
    );
    const named = problems.map((problem) => problem.setting).sort();
    assert.deepEqual(named, [
      'rustForLinux.kernelDir',
      'rustForLinux.load.accel',
      'rustForLinux.load.params',
      'rustForLinux.load.params',
      'rustForLinux.load.timeoutSeconds',
      'rustForLinux.make.extraArgs',
      'rustForLinux.rustc',
    ]);
    assert.equal(settings.kernelDir, undefined);
    assert.deepEqual(settings.loadParams, ['ok=1']);
    assert.equal(settings.loadTimeoutSeconds, DEFAULT_LOAD_TIMEOUT_SECONDS);
    assert.equal(settings.loadAccel, 'auto');
    assert.ok(problems.every((problem) => problem.message.length > 0));
  });

  it('matches package.json: every setting declared, the restricted ones listed for workspace trust', () => {
    const declared = manifest.contributes.configuration.properties;
    for (const key of Object.values(BUILD_LOAD_SETTINGS)) assert.ok(declared[`rustForLinux.${key}`], `rustForLinux.${key} is declared`);
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [...RESTRICTED_SETTINGS].sort());
    for (const key of ['kernelDir', 'make.extraArgs', 'rustc', 'bindgen', 'buildDir', 'load.params', 'load.guestScript']) {
      assert.ok(RESTRICTED_SETTINGS.includes(`rustForLinux.${key}`), `${key} names a program, folder or arguments`);
    }
    assert.equal(declared['rustForLinux.make.extraArgs']?.type, 'array');
    assert.equal(declared['rustForLinux.load.params']?.type, 'array');
  });

  it('matches package.json: task commands, contributed commands, the problem matcher', () => {
    const definition = manifest.contributes.taskDefinitions.find((entry) => entry.type === 'rust-for-linux');
    assert.deepEqual([...(definition?.properties.command.enum ?? [])].sort(), [...RFL_COMMANDS].sort());
    const commands = manifest.contributes.commands.map((entry) => entry.command);
    for (const command of ['rustForLinux.loadModule', 'rustForLinux.cancelRun', 'rustForLinux.configureRustAnalyzer'])
      assert.ok(commands.includes(command), command);
    assert.ok(manifest.contributes.problemMatchers.some((matcher) => matcher.name === 'rfl-rustc'));
  });
});

describe('module folders', () => {
  let root: string;
  const write = (file: string, text = '') => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'rfl-modules-'));
    write('Kbuild', 'obj-m := top.o\n');
    write('top.rs');
    write('drivers/hello/Makefile', 'obj-m += hello.o\nall:\n\t$(MAKE) -C $(KDIR) M=$(CURDIR)\n');
    write('drivers/hello/hello.rs');
    write('drivers/c_only/Kbuild', 'obj-m := c.o\n');
    write('drivers/c_only/c.c');
    write('tools/Makefile', 'all:\n\tcargo build\n');
    write('tools/main.rs');
    write('with space; $(x)/Kbuild', 'obj-m := odd.o\n');
    write('with space; $(x)/odd.rs');
    write('node_modules/pkg/Kbuild', 'obj-m := no.o\n');
    write('node_modules/pkg/no.rs');
    write('a/b/c/d/e/deep/Kbuild', 'obj-m := deep.o\n');
    write('a/b/c/d/e/deep/deep.rs');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('knows a module folder: .rs files and a Kbuild, or a Makefile naming obj-m', async () => {
    assert.equal(await isModuleFolder(root), true);
    assert.equal(await isModuleFolder(path.join(root, 'drivers/hello')), true);
    assert.equal(await isModuleFolder(path.join(root, 'drivers/c_only')), false, 'no Rust');
    assert.equal(await isModuleFolder(path.join(root, 'tools')), false, 'a Makefile without obj-m');
    assert.equal(await isModuleFolder(path.join(root, 'missing')), false);
  });

  it('finds them breadth-first, skipping node_modules and going only so deep', async () => {
    const found = await findModuleFolders([root]);
    assert.deepEqual(found, [root, path.join(root, 'with space; $(x)'), path.join(root, 'drivers/hello')]);
    const deeper = await findModuleFolders([root], { maxDepth: 6, maxModules: 10, maxFolders: 100 });
    assert.ok(deeper.includes(path.join(root, 'a/b/c/d/e/deep')));
    assert.equal((await findModuleFolders([root], { maxDepth: 6, maxModules: 2, maxFolders: 100 })).length, 2);
  });

  it('picks the module of the active file, else the only one, else the last used', () => {
    const modules = ['/ws', '/ws/drivers/hello', '/ws/other'];
    assert.equal(moduleForFile('/ws/drivers/hello/hello.rs', modules), '/ws/drivers/hello');
    assert.equal(moduleForFile('/ws/top.rs', modules), '/ws');
    assert.equal(moduleForFile('/elsewhere/x.rs', modules), undefined);
    assert.equal(moduleForFile('/ws/otherwise/x.rs', ['/ws/other']), undefined, 'a name prefix is not a parent folder');
    assert.equal(pickActiveModule(modules, '/ws/other/x.rs', undefined), '/ws/other');
    assert.equal(pickActiveModule(['/only'], undefined, undefined), '/only');
    assert.equal(pickActiveModule(['/ws/a', '/ws/b'], '/tmp/x', '/ws/b'), '/ws/b');
    assert.equal(pickActiveModule(['/ws/a', '/ws/b'], undefined, '/gone'), undefined);
  });
});

describe('task definitions', () => {
  it('accepts a full tasks.json entry and names each wrong field', () => {
    const parsed = parseTaskDefinition({
      type: 'rust-for-linux',
      command: 'load',
      moduleDir: 'drivers/hello',
      kernelDir: '/k',
      timeout: 30,
      accel: 'tcg',
      params: ['count=2'],
      guestScript: 'exercise.sh',
      makeArgs: ['V=1'],
      label: 'ignored',
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      type: 'rust-for-linux',
      command: 'load',
      moduleDir: 'drivers/hello',
      kernelDir: '/k',
      timeout: 30,
      accel: 'tcg',
      params: ['count=2'],
      guestScript: 'exercise.sh',
      makeArgs: ['V=1'],
    });
    const error = (raw: unknown) => {
      const result = parseTaskDefinition(raw);
      assert.ok(!result.ok);
      return result.error;
    };
    assert.match(error({ type: 'rust-for-linux', command: 'flash' }), /"command" should be "build", "clippy", "load" or "rust-analyzer"/);
    assert.match(error({ type: 'rust-for-linux', command: 'load', timeout: '10' }), /"timeout"/);
    assert.match(error({ type: 'rust-for-linux', command: 'load', accel: 'hvf' }), /"accel"/);
    assert.match(error({ type: 'rust-for-linux', command: 'load', params: ['a b=1'] }), /"params" wants NAME=VALUE/);
    assert.match(error({ type: 'rust-for-linux', command: 'build', makeArgs: 'V=1' }), /"makeArgs"/);
    assert.match(error({ type: 'rust-for-linux', command: 'build', moduleDir: '' }), /"moduleDir"/);
    assert.match(error(null), /not an object/);
  });

  it('gives provided tasks a portable definition and a short name', () => {
    assert.deepEqual(definitionFor('load', '/ws', '/ws'), { type: 'rust-for-linux', command: 'load' });
    assert.deepEqual(definitionFor('build', '/ws', '/ws/drivers/hello'), {
      type: 'rust-for-linux',
      command: 'build',
      moduleDir: 'drivers/hello',
    });
    assert.deepEqual(definitionFor('clippy', '/ws', '/elsewhere/m'), {
      type: 'rust-for-linux',
      command: 'clippy',
      moduleDir: '/elsewhere/m',
    });
    assert.equal(taskName({ type: 'rust-for-linux', command: 'load', moduleDir: 'drivers/hello' }), 'load drivers/hello');
    assert.equal(taskName({ type: 'rust-for-linux', command: 'rust-analyzer' }), 'rust-analyzer');
  });
});

describe('task plans', () => {
  const settings = (overrides: Partial<BuildLoadSettings> = {}): BuildLoadSettings => ({
    ...readBuildLoadSettings(source({}), '/ws').settings,
    ...overrides,
  });
  const overridesSeen: unknown[] = [];
  const deps = (located?: string): PlanDependencies => ({
    locateKernel: () => (located ? { kdir: located, source: 'running kernel' } : undefined),
    resolveToolchain: (_kdir, overrides) => {
      overridesSeen.push(overrides);
      return { llvm: true, makeArgs: overrides.makeArgs ?? [], ...(overrides.rustc ? { rustc: overrides.rustc } : {}) };
    },
    isDirectory: (dir) => dir.startsWith('/ws'),
  });
  const definition = (fields: Partial<RflTaskDefinition>): RflTaskDefinition => ({ type: 'rust-for-linux', command: 'build', ...fields });

  it('takes the kernel from the task, else the setting, else where the core finds one', () => {
    const fromTask = planTask(definition({ kernelDir: 'linux' }), settings({ kernelDir: '/set/k' }), '/ws', deps('/run/k'));
    assert.ok(fromTask.ok);
    assert.equal(fromTask.value.kdir, '/ws/linux');
    assert.equal(fromTask.value.kernelSource, 'task');
    const fromSetting = planTask(definition({}), settings({ kernelDir: '/set/k' }), '/ws', deps('/run/k'));
    assert.ok(fromSetting.ok && fromSetting.value.kdir === '/set/k' && fromSetting.value.kernelSource === 'setting');
    const located = planTask(definition({}), settings(), '/ws', deps('/run/k'));
    assert.ok(located.ok && located.value.kdir === '/run/k' && located.value.kernelSource === 'running kernel');
    const none = planTask(definition({}), settings(), '/ws', deps());
    assert.ok(!none.ok);
    assert.match(none.error, /rustForLinux\.kernelDir/);
    assert.match(none.error, /rfl kernel prepare/);
  });

  it('adds make arguments (settings first), passes rustc, bindgen and O=', () => {
    overridesSeen.length = 0;
    const plan = planTask(
      definition({ command: 'clippy', makeArgs: ['V=1'], moduleDir: 'drivers/hello', timeout: 120 }),
      settings({ kernelDir: '/k', makeExtraArgs: ['KCFLAGS=-g'], rustc: '/opt/rustc', bindgen: 'bindgen-0.65', buildDir: '/k/out' }),
      '/ws',
      deps(),
    );
    assert.ok(plan.ok);
    assert.deepEqual(overridesSeen[0], { rustc: '/opt/rustc', bindgen: 'bindgen-0.65', makeArgs: ['KCFLAGS=-g', 'V=1'] });
    assert.equal(plan.value.moduleDir, '/ws/drivers/hello');
    assert.equal(plan.value.outDir, '/k/out');
    assert.equal(plan.value.command, 'clippy');
    assert.equal(plan.value.timeoutMs, 120_000);
  });

  it('plans a load: the task’s params, timeout, accel and script win over the settings', () => {
    const base = settings({ kernelDir: '/k', loadParams: ['a=1'], loadTimeoutSeconds: 20, loadAccel: 'kvm', loadGuestScript: '/ws/s.sh' });
    const fromSettings = planTask(definition({ command: 'load' }), base, '/ws', deps());
    assert.ok(fromSettings.ok && fromSettings.value.command === 'load');
    assert.equal(fromSettings.value.params, 'a=1');
    assert.equal(fromSettings.value.timeoutMs, 20_000);
    assert.equal(fromSettings.value.accel, 'kvm');
    assert.equal(fromSettings.value.guestScript, '/ws/s.sh');
    const fromTask = planTask(
      definition({ command: 'load', params: ['b=2', 'c=3'], timeout: 5, accel: 'tcg', guestScript: 'other.sh' }),
      base,
      '/ws',
      deps(),
    );
    assert.ok(fromTask.ok && fromTask.value.command === 'load');
    assert.equal(fromTask.value.params, 'b=2 c=3');
    assert.equal(fromTask.value.timeoutMs, 5000);
    assert.equal(fromTask.value.accel, 'tcg');
    assert.equal(fromTask.value.guestScript, '/ws/other.sh');
  });

  it('refuses a module folder that does not exist', () => {
    const plan = planTask(definition({ moduleDir: '/nowhere' }), settings({ kernelDir: '/k' }), '/ws', deps());
    assert.ok(!plan.ok);
    assert.match(plan.error, /\/nowhere does not exist/);
  });
});

describe('RunGate: one run at a time', () => {
  it('refuses a second run while one goes, naming it, and lets the next one start after', () => {
    let now = 1000;
    const gate = new RunGate(() => now);
    const events: string[] = [];
    gate.onEvent((event) =>
      events.push(event.type === 'start' ? `start ${event.run.name}` : `end ${event.end.run.name} ${event.end.exitCode}`),
    );
    const first = gate.tryStart('load hello', 'load', '/ws/hello');
    assert.ok(first.ok);
    now = 13_000;
    const second = gate.tryStart('build hello', 'build', '/ws/hello');
    assert.ok(!second.ok);
    assert.equal(second.busy.name, 'load hello');
    assert.match(second.message, /"load hello" is running \(for 12 s\), so "build hello" was not started/);
    assert.match(second.message, /one build or load at a time/);
    first.run.finish({ exitCode: 0, ok: true, summary: 'PASS' });
    first.run.finish({ exitCode: 1, ok: false, summary: 'twice' });
    assert.equal(gate.running, undefined);
    assert.equal(gate.last?.summary, 'PASS');
    const third = gate.tryStart('build hello', 'build', '/ws/hello');
    assert.ok(third.ok);
    assert.deepEqual(events, ['start load hello', 'end load hello 0', 'start build hello']);
  });

  it('cancels the running run through its signal, and on dispose', () => {
    const gate = new RunGate();
    assert.equal(gate.cancelCurrent(), false);
    const started = gate.tryStart('load', 'load', '/ws');
    assert.ok(started.ok);
    assert.equal(started.run.signal.aborted, false);
    assert.equal(gate.cancelCurrent(), true);
    assert.equal(started.run.signal.aborted, true);
    started.run.finish({ exitCode: 1, ok: false, summary: 'cancelled' });
    const next = gate.tryStart('load', 'load', '/ws');
    assert.ok(next.ok);
    gate.dispose();
    assert.equal(next.run.signal.aborted, true);
  });

  it('keeps running when a listener throws', () => {
    const gate = new RunGate();
    gate.onEvent(() => {
      throw new Error('broken listener');
    });
    const started = gate.tryStart('build', 'build', '/ws');
    assert.ok(started.ok);
    started.run.finish({ exitCode: 0, ok: true, summary: 'ok' });
    assert.equal(gate.running, undefined);
  });
});

describe('TerminalBuffer (the pseudoterminal text)', () => {
  it('holds lines until open(), then writes them in order with CRLF, then the exit', () => {
    const written: string[] = [];
    const closed: number[] = [];
    const buffer = new TerminalBuffer(
      (text) => written.push(text),
      (code) => closed.push(code),
    );
    buffer.line('before open');
    buffer.finish(3);
    assert.deepEqual(written, []);
    assert.deepEqual(closed, []);
    buffer.open();
    assert.deepEqual(written, ['before open\r\n']);
    assert.deepEqual(closed, [3]);
    buffer.line('after close');
    assert.equal(written.length, 1);
  });

  it('streams after open(), colours rfl lines, and stops writing once the user closed it', () => {
    const written: string[] = [];
    const closed: number[] = [];
    const buffer = new TerminalBuffer(
      (text) => written.push(text),
      (code) => closed.push(code),
    );
    buffer.open();
    buffer.line('console line');
    buffer.line('== verdict', 'error');
    assert.deepEqual(written, ['console line\r\n', '\x1b[1;31m== verdict\x1b[0m\r\n']);
    buffer.discard();
    buffer.line('late');
    buffer.finish(0);
    assert.equal(written.length, 2);
    assert.deepEqual(closed, [], 'a terminal the user closed is not closed again');
  });

  it('makes guest control sequences harmless', () => {
    assert.equal(terminalSafe('\x1bc\x1b[?7l\x1b[2J\x1b[0mSeaBIOS (version 1.16.2)'), 'SeaBIOS (version 1.16.2)');
    assert.equal(terminalSafe('tab\tkept\r\x07'), 'tab\tkept');
  });
});

function verdict(fields: Partial<LoadVerdict>): LoadVerdict {
  return {
    ok: true,
    exitCode: 0,
    summary: 'PASS: rust_hello loaded and unloaded cleanly',
    bad: [],
    modules: [],
    problems: [],
    timedOut: false,
    cancelled: false,
    timings: { totalMs: 1234 },
    ...fields,
  };
}

function buildResult(fields: Partial<BuildResult>): BuildResult {
  return {
    ok: true,
    command: 'make -C /k M=/ws',
    durationMs: 900,
    diagnostics: [],
    modules: ['/ws/hello.ko'],
    outcome: 'exit status 0',
    ...fields,
  };
}

describe('runTaskPlan (a task run with a stand-in core)', () => {
  const loadPlan: TaskPlan = {
    command: 'load',
    moduleDir: '/ws/hello',
    kdir: '/k',
    kernelSource: 'setting',
    toolchain: TOOLCHAIN,
    outDir: undefined,
    timeoutMs: 30_000,
    accel: 'tcg',
    params: 'count=2',
    guestScript: undefined,
  };

  it('streams phases, build lines, the live console and notes, then ends with the verdict and its exit code', async () => {
    let seen: LoadOptions | undefined;
    const core: CoreCalls = {
      buildModule: () => Promise.reject(new Error('not used')),
      loadModule: async (options) => {
        seen = options;
        options.onEvent?.({ type: 'phase', phase: 'build', status: 'start' });
        options.onEvent?.({ type: 'output', source: 'build', line: '  RUSTC [M] /ws/hello/hello.o' });
        options.onEvent?.({ type: 'note', message: 'KVM did not boot; TCG' });
        options.onEvent?.({ type: 'output', source: 'console', line: 'hello: init', elapsedMs: 900 });
        return verdict({ ok: false, exitCode: 1, summary: 'FAIL: rust panic in hello', bad: ['kernel-problem'] });
      },
    };
    const sink = new Lines();
    const controller = new AbortController();
    const outcome = await runTaskPlan(loadPlan, sink, controller.signal, core);
    assert.deepEqual(outcome, { exitCode: 1, ok: false, summary: 'FAIL: rust panic in hello' });
    assert.equal(seen?.signal, controller.signal);
    assert.equal(seen?.params, 'count=2');
    assert.equal(seen?.accel, 'tcg');
    assert.equal(seen?.timeoutMs, 30_000);
    const text = sink.text;
    for (const expected of [
      'rfl: build...',
      '  RUSTC [M] /ws/hello/hello.o',
      'rfl: note: KVM did not boot; TCG',
      'hello: init',
      '== rfl load verdict: FAIL: rust panic in hello',
    ]) {
      assert.ok(text.includes(expected), `${expected} in:\n${text}`);
    }
    assert.ok(text.indexOf('hello: init') < text.indexOf('== rfl load verdict'), 'the console comes before the verdict');
    assert.equal(sink.lines.find((line) => line.text.startsWith('== rfl load verdict'))?.style, 'error');
  });

  it('ends a setup failure (unusable kernel folder) with exit status 2 and the reason', async () => {
    const core: CoreCalls = {
      buildModule: () => Promise.reject(new Error('not used')),
      loadModule: () =>
        Promise.reject(new LoadSetupError('the kernel folder /k cannot be used:\nFAIL image: arch/x86/boot/bzImage is missing')),
    };
    const sink = new Lines();
    const outcome = await runTaskPlan(loadPlan, sink, new AbortController().signal, core);
    assert.equal(outcome.exitCode, 2);
    assert.match(outcome.summary, /cannot run: the kernel folder \/k cannot be used/);
    assert.ok(sink.text.includes('bzImage is missing'));
  });

  it('builds: exit 0 with the module named, 1 with the errors and hint on failure; clippy fails on warnings', async () => {
    const plan = (command: 'build' | 'clippy' | 'rust-analyzer'): TaskPlan => ({
      command,
      moduleDir: '/ws/hello',
      kdir: '/k',
      kernelSource: 'task',
      toolchain: TOOLCHAIN,
      outDir: undefined,
      timeoutMs: undefined,
    });
    const calls: BuildOptions[] = [];
    const core = (result: BuildResult): CoreCalls => ({
      buildModule: async (options) => {
        calls.push(options);
        options.onLine?.('error[E0425]: cannot find value `x` in this scope', 'stderr');
        options.onLine?.('  --> /ws/hello/hello.rs:3:5', 'stderr');
        return result;
      },
      loadModule: () => Promise.reject(new Error('not used')),
    });
    const ok = await runTaskPlan(plan('build'), new Lines(), new AbortController().signal, core(buildResult({})));
    assert.deepEqual(ok, { exitCode: 0, ok: true, summary: 'build ok in 0.9 s: hello.ko' });
    assert.equal(calls[0]?.clippy, false);
    assert.equal(calls[0]?.target, 'modules');

    const sink = new Lines();
    const failed = await runTaskPlan(
      plan('build'),
      sink,
      new AbortController().signal,
      core(
        buildResult({
          ok: false,
          outcome: 'exit status 2',
          modules: [],
          hint: 'rustc differs: E0514',
          diagnostics: [
            {
              severity: 'error',
              code: 'E0425',
              message: 'cannot find value `x` in this scope',
              printedFile: 'hello.rs',
              file: '/ws/hello/hello.rs',
              line: 3,
              column: 5,
            },
          ],
        }),
      ),
    );
    assert.equal(failed.exitCode, 1);
    assert.ok(
      sink.lines.some((line) => line.text === '  --> /ws/hello/hello.rs:3:5' && line.style === 'plain'),
      'rustc lines reach the problem matcher untouched',
    );
    assert.ok(sink.text.includes('/ws/hello/hello.rs:3:5: error[E0425]'));
    assert.ok(sink.text.includes('rustc differs: E0514'));

    const warned = await runTaskPlan(
      plan('clippy'),
      new Lines(),
      new AbortController().signal,
      core(
        buildResult({
          diagnostics: [{ severity: 'warning', message: 'unsafe block missing a safety comment', printedFile: 'x.rs', line: 1, column: 1 }],
        }),
      ),
    );
    assert.equal(calls[2]?.clippy, true);
    assert.equal(warned.exitCode, 1);
    assert.match(warned.summary, /clippy found problems .*\(1 warning\)/);
  });

  it('runs make rust-analyzer and fails when no rust-project.json appeared', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rfl-ra-'));
    try {
      const plan: TaskPlan = {
        command: 'rust-analyzer',
        moduleDir: dir,
        kdir: '/k',
        kernelSource: 'task',
        toolchain: TOOLCHAIN,
        outDir: undefined,
        timeoutMs: undefined,
      };
      let target: string | undefined;
      const core: CoreCalls = {
        buildModule: async (options) => {
          target = options.target;
          return buildResult({ modules: [] });
        },
        loadModule: () => Promise.reject(new Error('not used')),
      };
      assert.equal((await runTaskPlan(plan, new Lines(), new AbortController().signal, core)).exitCode, 1);
      assert.equal(target, 'rust-analyzer');
      writeFileSync(path.join(dir, 'rust-project.json'), '{}');
      const outcome = await runTaskPlan(plan, new Lines(), new AbortController().signal, core);
      assert.equal(outcome.exitCode, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the real core: a build against a folder that is no kernel fails with make named', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rfl-real-'));
    try {
      writeFileSync(path.join(dir, 'Kbuild'), 'obj-m := m.o\n');
      writeFileSync(path.join(dir, 'm.rs'), '');
      const sink = new Lines();
      const plan: TaskPlan = {
        command: 'build',
        moduleDir: dir,
        kdir: path.join(dir, 'no-kernel'),
        kernelSource: 'task',
        toolchain: TOOLCHAIN,
        outDir: undefined,
        timeoutMs: 30_000,
      };
      const outcome = await runTaskPlan(plan, sink, new AbortController().signal);
      assert.equal(outcome.ok, false);
      assert.ok(outcome.exitCode === 1 || outcome.exitCode === 2, `exit ${outcome.exitCode}`);
      assert.match(sink.text, /make/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('executeTaskRequest (what a task does when it starts)', () => {
  let workspace: string;
  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'rfl-ws-'));
    writeFileSync(path.join(workspace, 'Kbuild'), 'obj-m := hello.o\n');
    writeFileSync(path.join(workspace, 'hello.rs'), '');
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  /** A core whose load waits until released (or aborted), to hold the gate. */
  function heldCore() {
    let release: (() => void) | undefined;
    let calls = 0;
    let signal: AbortSignal | undefined;
    const core: CoreCalls = {
      buildModule: async () => buildResult({}),
      loadModule: (options) => {
        calls++;
        signal = options.signal;
        return new Promise((resolve) => {
          const done = () =>
            resolve(
              verdict(
                options.signal?.aborted ? { ok: false, exitCode: 1, summary: 'FAIL: cancelled', cancelled: true, bad: ['cancelled'] } : {},
              ),
            );
          release = done;
          options.signal?.addEventListener('abort', done, { once: true });
        });
      },
    };
    return { core, release: () => release?.(), calls: () => calls, signal: () => signal };
  }
  const request = (gate: RunGate, core: CoreCalls, sink: OutputSink, fields: Partial<Parameters<typeof executeTaskRequest>[0]> = {}) =>
    executeTaskRequest({
      definition: { type: 'rust-for-linux', command: 'load' },
      workspaceFolder: workspace,
      trusted: true,
      settings: source({ kernelDir: '/k' }),
      gate,
      sink,
      core,
      ...fields,
    });

  it('runs nothing in an untrusted workspace, and says why', async () => {
    const held = heldCore();
    const sink = new Lines();
    const outcome = await request(new RunGate(), held.core, sink, { trusted: false });
    assert.equal(outcome.exitCode, 2);
    assert.equal(held.calls(), 0);
    assert.ok(sink.text.includes(UNTRUSTED_MESSAGE));
    assert.match(UNTRUSTED_MESSAGE, /not trusted/);
  });

  it('refuses to run with wrong settings or a malformed definition, naming them', async () => {
    const held = heldCore();
    const sink = new Lines();
    const outcome = await request(new RunGate(), held.core, sink, { settings: source({ kernelDir: '/k', 'load.params': ['bad param'] }) });
    assert.equal(outcome.exitCode, 2);
    assert.ok(sink.text.includes('rustForLinux.load.params'));
    const malformed = new Lines();
    assert.equal(
      (await request(new RunGate(), held.core, malformed, { definition: { type: 'rust-for-linux', command: 'boot' } })).exitCode,
      2,
    );
    assert.ok(malformed.text.includes('"command"'));
    assert.equal(held.calls(), 0);
  });

  it('never mixes two runs: the second is refused while the first goes, and runs after it ended', async () => {
    const gate = new RunGate();
    const held = heldCore();
    const firstSink = new Lines();
    const first = request(gate, held.core, firstSink);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gate.running?.name, 'load');
    const secondSink = new Lines();
    const second = await request(gate, held.core, secondSink, { definition: { type: 'rust-for-linux', command: 'build' } });
    assert.equal(second.exitCode, 2);
    assert.match(secondSink.text, /"load" is running .*"build" was not started/);
    assert.equal(secondSink.text.includes('hello'), false, 'nothing of the first run leaks into the second terminal');
    held.release();
    assert.equal((await first).exitCode, 0);
    assert.equal(gate.running, undefined);
    const third = await request(gate, held.core, new Lines(), { definition: { type: 'rust-for-linux', command: 'build' } });
    assert.equal(third.exitCode, 0);
  });

  it('cancels through the function it hands the terminal (close, Ctrl-C), reaching the core’s signal', async () => {
    const gate = new RunGate();
    const held = heldCore();
    let cancel: (() => void) | undefined;
    const running = request(gate, held.core, new Lines(), { onStarted: (fn) => (cancel = fn) });
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(cancel);
    cancel();
    const outcome = await running;
    assert.equal(held.signal()?.aborted, true);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.exitCode, 1);
    assert.equal(gate.running, undefined);
    assert.equal(gate.last?.summary, 'FAIL: cancelled');
  });
});

describe('rust-analyzer.linkedProjects', () => {
  it('adds the project once, keeping what is there', () => {
    assert.equal(linkedProjectEntry('/ws/hello/rust-project.json', '/ws', false), 'hello/rust-project.json');
    assert.equal(linkedProjectEntry('/ws/rust-project.json', '/ws', false), 'rust-project.json');
    assert.equal(linkedProjectEntry('/ws/hello/rust-project.json', '/ws', true), '/ws/hello/rust-project.json');
    assert.equal(linkedProjectEntry('/other/rust-project.json', '/ws', false), '/other/rust-project.json');
    assert.deepEqual(mergeLinkedProjects(undefined, 'hello/rust-project.json', '/ws'), ['hello/rust-project.json']);
    const inline = { crates: [] };
    assert.deepEqual(mergeLinkedProjects(['a/Cargo.toml', inline, 3], 'hello/rust-project.json', '/ws'), [
      'a/Cargo.toml',
      inline,
      'hello/rust-project.json',
    ]);
    assert.equal(mergeLinkedProjects(['/ws/hello/rust-project.json'], 'hello/rust-project.json', '/ws'), undefined);
    assert.equal(mergeLinkedProjects(['./hello/rust-project.json'], 'hello/rust-project.json', '/ws'), undefined);
  });
});
