// The tests' side of scripts/vscode-test/driverProtocol.ts: asks the runner outside the editor for a
// screenshot of the workbench. Absent on a desktop VS Code, where such tests are skipped.
import {
  DRIVER_URL_ENV,
  SCREENSHOT_PATH,
  type ScreenshotRequest,
  type ScreenshotResponse,
} from '../../../scripts/vscode-test/driverProtocol';
import { Skip } from './harness';

export async function takeScreenshot(request: ScreenshotRequest): Promise<string> {
  const base = process.env[DRIVER_URL_ENV];
  if (!base) throw new Skip(`no test driver (${DRIVER_URL_ENV} unset): screenshots are taken only under scripts/vscode-test`);
  // The installed-copy run (packageCheck.ts) repeats the suite for the .vsix; the README's pictures come
  // from the checkout's run, and a second round of UI waits only adds ways to time out on a busy machine.
  if (process.env.RFL_VSCODE_NO_SCREENSHOTS) throw new Skip('screenshots are taken in the checkout run only');
  const response = await fetch(new URL(SCREENSHOT_PATH, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as ScreenshotResponse & { error?: string };
  if (!response.ok) throw new Error(`screenshot ${request.name} failed: ${body.error ?? response.status}`);
  return body.path;
}
