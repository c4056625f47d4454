// The server's view of the user's settings: initializationOptions.settings refined by what
// workspace/configuration answers (or didChangeConfiguration carries); always validated.
import { DEFAULT_LINT_SETTINGS, type LintSettings, type ServerSettings } from '../shared/protocol';
import { isRuleName, isSeverity, type Severity } from '../core/safety/rules';

/** Keeps only well-formed values from whatever the client sent; the rest falls back to defaults. */
export function validateSettings(raw: unknown): ServerSettings {
  const lint = (raw as { lint?: Partial<LintSettings> } | undefined)?.lint ?? {};
  const severity: LintSettings['severity'] = {};
  for (const [rule, value] of Object.entries(lint.severity ?? {})) {
    if (isRuleName(rule) && typeof value === 'string' && isSeverity(value)) severity[rule] = value as Severity;
  }
  const maxFileSizeMB =
    typeof lint.maxFileSizeMB === 'number' && lint.maxFileSizeMB > 0 ? lint.maxFileSizeMB : DEFAULT_LINT_SETTINGS.maxFileSizeMB;
  const kernelDir = (raw as { kernelDir?: unknown } | undefined)?.kernelDir;
  const onSave = (raw as { check?: { onSave?: unknown } } | undefined)?.check?.onSave;
  return {
    lint: { severity, maxFileSizeMB },
    kernelDir: typeof kernelDir === 'string' && kernelDir.trim() !== '' ? kernelDir.trim() : undefined,
    checkOnSave: typeof onSave === 'boolean' ? onSave : true,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `override` over `base`, object by object (a client may split settings between the two sources). */
export function mergeSettings(base: unknown, override: unknown): unknown {
  if (!isPlainObject(override)) return override === undefined || override === null ? base : override;
  if (!isPlainObject(base)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeSettings(base[key], value);
  return merged;
}

/**
 * The settings in force. `ready` resolves once the client's settings are known (from
 * initializationOptions, or the first workspace/configuration answer): nothing is linted or
 * published before, so no default setting ever shows.
 */
export class SettingsStore {
  private raw: unknown;
  current: ServerSettings = validateSettings(undefined);
  /** Counts changes: part of each pulled diagnostic report's resultId. */
  generation = 0;
  private markReady!: () => void;
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  private readonly listeners: ((previous: ServerSettings) => void)[] = [];

  /** initializationOptions.settings: the base that later answers refine. */
  setInitial(raw: unknown): void {
    this.raw = raw;
    this.current = validateSettings(raw);
  }

  /** A workspace/configuration answer or a didChangeConfiguration payload, over the initial settings. */
  update(raw: unknown): void {
    const previous = this.current;
    this.current = validateSettings(mergeSettings(this.raw, raw));
    this.generation++;
    for (const listener of this.listeners) listener(previous);
  }

  /** From now on settings are known; later changes are announced to `onChange` listeners. */
  settle(): void {
    this.markReady();
  }

  onChange(listener: (previous: ServerSettings) => void): void {
    this.listeners.push(listener);
  }
}
