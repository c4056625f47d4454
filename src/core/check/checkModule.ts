// `rfl check`'s engine: builds the module the way `make CLIPPY=1` does (the kernel's own rustc,
// clippy-driver, flags and lint set, all read by kbuild from the tree) with rustc's JSON diagnostics
// switched on, and returns every diagnostic on its real file.
//
// How the JSON comes out of kbuild: `RUSTFLAGS_MODULE` is kbuild's user variable for flags added to
// module objects only (`modkern_rustflags` in scripts/Makefile.lib, 6.1 to 7.x), so
// `RUSTFLAGS_MODULE=--error-format=json` reaches exactly the module's rustc/clippy-driver calls and
// never the kernel's own crates; rustc then prints one diagnostic object per stderr line, which make
// passes through. (`KRUSTFLAGS` would do too, but only exists since 6.12.)
//
// Fast: the kernel's crates are what kbuild built already; only the module's crates compile. kbuild
// skips objects it thinks are up to date, which would drop their warnings, so the module's crate
// objects are removed first (as `rfl clippy` does), and a check whose inputs did not change since
// the last one is answered from CheckCache without running make at all. Faster still: after one
// such build, later checks replay the crates' compiler commands kbuild recorded (checkRecipe.ts),
// without make, for as long as the kernel build, the toolchain and the module's Kbuild stay as they
// were; `full` forces the build.
import path from 'node:path';
import { buildModule, type BuildResult } from '../kbuild/build';
import { cacheDirs, cacheRoot } from '../cache/cachePaths';
import type { Toolchain } from '../toolchain/toolchain';
import { CheckCache, checkFingerprint, FingerprintedStore } from './checkCache';
import { recipeFingerprint, recipeFromBuild, type CheckRecipe } from './checkRecipe';
import { replayCrateChecks } from './replayCheck';
import { acquireLock, MODULE_LOCK_WAIT_MS, moduleBuildLockPath } from '../kbuild/moduleLock';
import { counts, isSummary, parseDiagnosticLine, withRealPaths, type RustcDiagnostic } from './rustcDiagnostic';

export const CHECK_MAKE_ARGS = ['RUSTFLAGS_MODULE=--error-format=json'] as const;

export interface CheckOptions {
  kdir: string;
  moduleDir: string;
  toolchain: Toolchain;
  outDir?: string | undefined;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Skip the cache of the last verdict (it is still written). */
  fresh?: boolean;
  /**
   * Run kbuild's whole module build (make CLIPPY=1) even when the crates' recorded compiler commands
   * could be replayed (checkRecipe.ts): also reports what only code generation and linking find.
   */
  full?: boolean;
  make?: string;
  /** The cache root (default: RFL_CACHE or ~/.cache/rust-for-linux). */
  cacheRoot?: string;
}

export interface CheckResult {
  /** Every diagnostic, file names absolute, rustc's summaries left out. */
  diagnostics: RustcDiagnostic[];
  errors: number;
  warnings: number;
  /** Whether the module built (no error). */
  built: boolean;
  durationMs: number;
  /** The verdict came from the cache: nothing changed since the last check. */
  cached: boolean;
  /** Only the compiler ran: kbuild's recorded commands, replayed (checkRecipe.ts), not make. */
  replayed: boolean;
  /** The make command, for messages. */
  command: string;
  /**
   * Set when the check could not give a verdict: make failed without any rustc error to show for
   * it (no kernel build, wrong toolchain, timeout, cancelled). Says what failed and how to fix it.
   */
  failure?: string;
  cancelled?: boolean;
}

const DEFAULT_CHECK_TIMEOUT_MS = 5 * 60_000;

export async function checkModule(options: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const moduleDir = path.resolve(options.moduleDir);
  const root = options.cacheRoot ?? cacheRoot();
  const stateDir = path.join(cacheDirs.state(root), 'check');
  const cache = new CheckCache(stateDir);
  const settings = { toolchain: options.toolchain, kdir: options.kdir, outDir: options.outDir, args: CHECK_MAKE_ARGS };
  const release = await acquireLock(moduleBuildLockPath(moduleDir, root), MODULE_LOCK_WAIT_MS, options.signal);
  try {
    const fingerprint = checkFingerprint(moduleDir, options.kdir, options.outDir, settings);
    const hit = options.fresh || options.full ? undefined : cache.read(moduleDir, fingerprint);
    if (hit)
      return {
        ...tally(hit.diagnostics),
        built: hit.built,
        durationMs: Date.now() - started,
        cached: true,
        replayed: false,
        command: 'cache',
      };
    const raw: RustcDiagnostic[] = [];
    const otherLines: string[] = [];
    const onLine = (line: string) => {
      const diagnostic = parseDiagnosticLine(line);
      if (diagnostic) raw.push(diagnostic);
      else otherLines.push(line);
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    const recipes = new FingerprintedStore<CheckRecipe>(path.join(stateDir, 'recipes'), (entry) => Array.isArray(entry.crates));
    const recipeKey = recipeFingerprint(moduleDir, options.kdir, options.outDir, settings);
    const recipe = options.full ? undefined : recipes.read(moduleDir, recipeKey);
    let result: (Pick<BuildResult, 'ok' | 'outcome' | 'command' | 'hint' | 'kbuildDir'> & { replayed?: boolean }) | undefined;
    if (recipe) {
      const replay = await replayCrateChecks(recipe.crates, { timeoutMs, onLine, ...(options.signal ? { signal: options.signal } : {}) });
      if (replay.ranToEnd || replay.cancelled || replay.timedOut) {
        result = {
          ok: replay.ok,
          outcome: replay.cancelled ? 'cancelled' : replay.outcome,
          command: replay.command,
          kbuildDir: recipe.kbuildDir,
          replayed: true,
        };
      } else {
        // The compiler could not run as recorded (a tool or file gone): the whole build finds out why.
        recipes.forget(moduleDir);
        raw.length = 0;
        otherLines.length = 0;
      }
    }
    if (!result) {
      const built = await buildModule({
        kdir: options.kdir,
        moduleDir,
        toolchain: options.toolchain,
        outDir: options.outDir,
        clippy: true,
        extraMakeArgs: CHECK_MAKE_ARGS,
        moduleLockHeld: true,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.make ? { make: options.make } : {}),
        onLine,
      });
      result = built;
      if (built.ok && built.kbuildDir) {
        const crates = recipeFromBuild(built.kbuildDir, options.outDir ?? options.kdir);
        if (crates) recipes.write(moduleDir, { fingerprint: recipeKey, kbuildDir: built.kbuildDir, crates });
        else recipes.forget(moduleDir);
      }
    }
    const context = {
      kdir: options.kdir,
      moduleDir,
      moduleAliases: result.kbuildDir && result.kbuildDir !== moduleDir ? [result.kbuildDir] : [],
      outDir: options.outDir,
    };
    const diagnostics = raw.filter((diagnostic) => !isSummary(diagnostic)).map((diagnostic) => withRealPaths(diagnostic, context));
    const counted = tally(diagnostics);
    const base = {
      ...counted,
      built: result.ok,
      durationMs: Date.now() - started,
      cached: false,
      replayed: result.replayed ?? false,
      command: result.command,
    };
    if (result.outcome === 'cancelled') return { ...base, cancelled: true, failure: 'cancelled' };
    if (!result.ok && counted.errors === 0) {
      const output = otherLines.slice(-20).join('\n');
      return { ...base, failure: `${result.command} failed (${result.outcome})${result.hint ? `: ${result.hint}` : ''}\n${output}` };
    }
    // The inputs as they were before the run: a file saved during the run makes the next check run again.
    cache.write(moduleDir, { fingerprint, diagnostics, built: result.ok });
    return base;
  } finally {
    release();
  }
}

function tally(diagnostics: RustcDiagnostic[]): Pick<CheckResult, 'diagnostics' | 'errors' | 'warnings'> {
  let errors = 0;
  let warnings = 0;
  for (const diagnostic of diagnostics) {
    const kind = counts(diagnostic);
    if (kind === 'error') errors++;
    else if (kind === 'warning') warnings++;
  }
  return { diagnostics, errors, warnings };
}
