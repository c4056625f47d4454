// The server's view of the user's settings: pulled with workspace/configuration when the client
// supports it, else taken from initializationOptions; always validated, never trusted blindly.
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
    typeof lint.maxFileSizeMB === 'number' && lint.maxFileSizeMB > 0
      ? lint.maxFileSizeMB
      : DEFAULT_LINT_SETTINGS.maxFileSizeMB;
  const kernelDir = (raw as { kernelDir?: unknown } | undefined)?.kernelDir;
  const onSave = (raw as { check?: { onSave?: unknown } } | undefined)?.check?.onSave;
  return {
    lint: { severity, maxFileSizeMB },
    kernelDir: typeof kernelDir === 'string' && kernelDir.trim() !== '' ? kernelDir.trim() : undefined,
    checkOnSave: typeof onSave === 'boolean' ? onSave : true,
  };
}
