// The runner's side of driverProtocol.ts: a loopback HTTP server that takes screenshots of the
// workbench page on the tests' request.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_PATH, type ScreenshotRequest, type ScreenshotResponse } from './driverProtocol';

const NAME = /^[\w-]{1,80}$/;
const WAIT_MS = 15_000;

export interface TestDriver {
  url: string;
  close(): Promise<void>;
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function screenshot(page: Page, dir: string, body: ScreenshotRequest): Promise<ScreenshotResponse> {
  if (typeof body.name !== 'string' || !NAME.test(body.name)) throw new Error(`bad screenshot name ${JSON.stringify(body.name)}`);
  for (const selector of body.waitFor ?? []) {
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  }
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${body.name}.png`);
  await page.screenshot({ path: file });
  return { path: file };
}

/** Serves screenshot requests for `page`, writing into `screenshotDir`. */
export async function startTestDriver(page: Page, screenshotDir: string): Promise<TestDriver> {
  const server = http.createServer((request, response) => {
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== SCREENSHOT_PATH) {
      reply(404, { error: `no ${request.method} ${request.url}` });
      return;
    }
    readJson(request)
      .then((body) => screenshot(page, screenshotDir, body as ScreenshotRequest))
      .then((result) => reply(200, result))
      .catch((error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
