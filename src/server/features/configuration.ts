// The client's settings: initializationOptions.settings at initialize, then, for clients that answer
// workspace/configuration, their answer (pulled once before anything is linted, and again on each
// workspace/didChangeConfiguration); for the others, what didChangeConfiguration carries.
// didChangeConfiguration is registered dynamically only with clients that say they support that.
// A client's error answer is logged and the settings known so far stay in force.
import { fileURLToPath } from 'node:url';
import { DidChangeConfigurationNotification, type InitializeParams } from 'vscode-languageserver/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../../shared/protocol';
import type { Feature, ServerContext } from '../context';
import { KernelContext } from '../kernelContext';

/** A client that takes longer to answer workspace/configuration is not waited for. */
export const CONFIGURATION_WAIT_MS = 5_000;

async function pullSettings(ctx: ServerContext): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CONFIGURATION_WAIT_MS)));
  try {
    const answer = await Promise.race([ctx.connection.workspace.getConfiguration(SETTINGS_SECTION), timeout]);
    if (answer === 'timeout')
      ctx.log(`workspace/configuration: no answer within ${CONFIGURATION_WAIT_MS / 1000} s; using the settings known so far`);
    else ctx.settings.update(answer);
  } catch (error) {
    ctx.log(`workspace/configuration failed (${(error as Error).message}); using the settings known so far`);
  } finally {
    clearTimeout(timer);
  }
}

function workspaceRoot(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const configuration: Feature = {
  register(ctx) {
    ctx.connection.onInitialized(() => {
      if (ctx.client.dynamicConfigurationRegistration) {
        ctx.connection.client
          .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
          .catch((error: Error) => ctx.log(`client/registerCapability for workspace/didChangeConfiguration failed: ${error.message}`));
      }
      if (ctx.client.configuration) void pullSettings(ctx).then(() => ctx.settings.settle());
    });

    ctx.connection.onDidChangeConfiguration((change) => {
      if (ctx.client.configuration) {
        // The payload is only a hint for pull clients (often null): ask for the real values.
        void ctx.settings.ready.then(() => pullSettings(ctx));
        return;
      }
      ctx.settings.update((change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION]);
    });
  },
};

/** Called from initialize: the initial settings, the workspace folder for relative kernel paths. */
export function applyInitialize(ctx: ServerContext, params: InitializeParams): void {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  ctx.settings.setInitial(options.settings);
  ctx.kernel = new KernelContext(workspaceRoot(params));
  // Without workspace/configuration, initializationOptions is all a client can tell before it opens files.
  if (!ctx.client.configuration) ctx.settings.settle();
}
