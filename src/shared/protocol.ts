// What the language server and the VS Code client agree on: shared by both sides instead of being
// mirrored (both are TypeScript).
import type { ModuleCheck } from '../core/authoring/moduleChecks';
import type { RuleName, Severity } from '../core/safety/rules';

/** The settings section both sides read (`rustForLinux.*`). */
export const SETTINGS_SECTION = 'rustForLinux';

/** Diagnostic source shown in the editor's Problems view. */
export const DIAGNOSTIC_SOURCE = 'rust-for-linux';

export interface LintSettings {
  /** Per-rule severity overrides. */
  severity: Partial<Record<RuleName, Severity>>;
  /** Files above this size are not linted. */
  maxFileSizeMB: number;
}

export const DEFAULT_LINT_SETTINGS: LintSettings = { severity: {}, maxFileSizeMB: 4 };

export interface ServerSettings {
  lint: LintSettings;
  /** `rustForLinux.kernelDir`: the kernel whose module API templates and module! checks follow. */
  kernelDir: string | undefined;
  /** `rustForLinux.check.onSave`: check the module with the kernel's rustc and clippy on save. */
  checkOnSave: boolean;
}

/** Extra data carried by each diagnostic: the whole unsafe block or impl, for highlighting. */
export interface DiagnosticData {
  rule: RuleName | ModuleCheck;
  extent?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** initializationOptions a client may send (VS Code's sends all of them). */
export interface InitializationOptions {
  settings?: unknown;
  /** The client can select a placeholder a quick fix leaves (command rustForLinux.selectPlaceholder). */
  selectPlaceholderCommand?: boolean;
  /** The client contributes the version-independent snippets itself: the server leaves them out. */
  staticSnippets?: boolean;
  /** false: the workspace is not trusted, so the server runs no build (check on save). Absent: trusted. */
  trustedWorkspace?: boolean;
}

/** Client to server, `{ trusted: boolean }`: the user granted (or the client learnt) workspace trust. */
export const WORKSPACE_TRUST_NOTIFICATION = 'rustForLinux/workspaceTrust';
