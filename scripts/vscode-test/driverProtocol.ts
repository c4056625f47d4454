// What the tests inside the extension host may ask of the runner outside it, over loopback HTTP:
// the extension host cannot reach the browser, and only the runner (playwright) can see the
// workbench's pixels. Shared by scripts/vscode-test/testDriver.ts and test/vscode/suite.

/** Extension-host environment variable holding the driver's base URL (absent on a desktop VS Code). */
export const DRIVER_URL_ENV = 'RFL_VSCODE_TEST_DRIVER';

export interface ScreenshotRequest {
  /** File name without extension: letters, digits, `-` and `_`. */
  name: string;
  /** CSS selectors that must be visible in the workbench before the picture is taken. */
  waitFor?: string[];
}

export interface ScreenshotResponse {
  /** Absolute path of the PNG written. */
  path: string;
}

export const SCREENSHOT_PATH = '/screenshot';
