// Check on save (checkOnSave.ts): a module is checked with the kernel's rustc and clippy when one of
// its `.rs` files is saved and once when a module's file is first opened; its diagnostics follow the
// user's edits until the next check. Trusted workspaces only: VS Code sends `trustedWorkspace` in
// initializationOptions and a notification when trust is granted; editors without that notion are
// trusted. `rustForLinux.check.onSave` turns it off.
import type { InitializationOptions } from '../../shared/protocol';
import { WORKSPACE_TRUST_NOTIFICATION } from '../../shared/protocol';
import type { Feature } from '../context';
import { fileURLToPath } from 'node:url';

export const checkOnSave: Feature = {
  capabilities(_client, params) {
    // Read here because initialize's parameters reach features only through this hook.
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    trustedAtStart = options.trustedWorkspace;
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    workspaceRootAtStart = root?.startsWith('file:') ? fileURLToPath(root) : undefined;
    return {};
  },

  register(ctx) {
    ctx.workspaceRoot = workspaceRootAtStart;
    ctx.checks.initialize(trustedAtStart);
    // Checking needs the settings (kernelDir, check.onSave): wait for the client's.
    ctx.documents.onDidOpen((uri) => void ctx.settings.ready.then(() => ctx.checks.opened(uri)));
    ctx.documents.onDidChange((uri, changes) => ctx.checks.changed(uri, changes));
    // A save may come before the client's settings are known (a file saved as eglot connects: its didSave
    // came before eglot's workspace/configuration answer). Checked then, the module would have no kernelDir,
    // the check would fail, and the open check would be skipped as done. Saves wait for the settings, as
    // opens do.
    ctx.connection.onDidSaveTextDocument(({ textDocument }) => void ctx.settings.ready.then(() => ctx.checks.saved(textDocument.uri)));
    ctx.connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: { trusted?: unknown } | undefined) =>
      ctx.checks.setTrusted(params?.trusted !== false),
    );
    ctx.settings.onChange(() => ctx.checks.settingsChanged());
  },
};

let trustedAtStart: boolean | undefined;
let workspaceRootAtStart: string | undefined;
