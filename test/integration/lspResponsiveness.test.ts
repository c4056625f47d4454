// Linting one large pathological document must not delay requests for another: the lint runs on
// the server's worker thread, so hovers on a small file answer within 100 ms while a 1 MB file is
// being linted; a lint that runs past the server's time limit is stopped and reported, and the
// server goes on linting the rest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspTestClient, rules } from '../support/lspClient';

const SMALL_URI = 'file:///tmp/rfl-busy/small.rs';
const SMALL = 'pub fn read(p: *const u8) -> u8 {\n    let v = unsafe { *p };\n    v\n}\n';
const LARGE_URI = 'file:///tmp/rfl-busy/large.rs';
/** 1 MB of functions on CR-only line endings: minutes of linting before the linear-time linter. */
const LARGE = 'fn f() {}\r'.repeat(100_000);
const HOVER_LIMIT_MS = 100;
/** The server's lint time limit (10 s) plus the parse and a loaded machine. */
const LARGE_RESULT_WITHIN_MS = 30_000;

async function hoverLatency(client: LspTestClient): Promise<number> {
  const started = performance.now();
  const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri: SMALL_URI },
    position: { line: 1, character: 20 },
  });
  const elapsed = performance.now() - started;
  assert.ok(hover, 'no hover on the small file');
  return elapsed;
}

describe('responsiveness while a large document is linted', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it(`answers hovers on another file within ${HOVER_LIMIT_MS} ms, and reports the large one`, async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: SMALL_URI, languageId: 'rust', version: 1, text: SMALL },
    });
    assert.deepEqual(rules((await client.diagnostics(SMALL_URI)).diagnostics), ['1:undocumented_unsafe_blocks']);
    // The same hovers with nothing else to do, as the baseline for a machine shared with other work.
    const baseline: number[] = [];
    for (let i = 0; i < 40; i++) {
      baseline.push(await hoverLatency(client));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    baseline.sort((a, b) => a - b);

    const opened = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: LARGE_URI, languageId: 'rust', version: 1, text: LARGE },
    });
    const largeResult = client.diagnostics(LARGE_URI, () => true, LARGE_RESULT_WITHIN_MS);
    let largeDone = false;
    void largeResult.then(
      () => (largeDone = true),
      () => (largeDone = true),
    );
    await hoverLatency(client); // the didOpen itself (1 MB of JSON) is behind this one

    const latencies: number[] = [];
    while (!largeDone && latencies.length < 100) {
      latencies.push(await hoverLatency(client));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const large = await largeResult;
    const busyMs = performance.now() - opened;
    latencies.sort((a, b) => a - b);
    const at = (list: number[], fraction: number) => list[Math.min(list.length - 1, Math.floor(list.length * fraction))]!;
    const figures = (list: number[]) =>
      `median ${at(list, 0.5).toFixed(1)} ms, 95th percentile ${at(list, 0.95).toFixed(1)} ms, worst ${at(list, 1).toFixed(1)} ms`;
    console.log(
      `large file: ${JSON.stringify(large.diagnostics.map((d) => d.message).slice(0, 1))} after ${busyMs.toFixed(0)} ms; ` +
        `${latencies.length} hovers on the small file meanwhile: ${figures(latencies)}; before: ${figures(baseline)}`,
    );
    assert.ok(latencies.length >= 5, `the large file was done in ${busyMs.toFixed(0)} ms: too fast to measure anything`);
    // On a quiet machine the limit is 100 ms; on one shared with other work, twice what the same
    // hovers took before, which still tells a lint that blocks the server (seconds) from noise.
    const p95Allowed = Math.max(HOVER_LIMIT_MS, 2 * at(baseline, 0.95));
    assert.ok(
      at(latencies, 0.95) < p95Allowed,
      `hovers while the large file was linted: ${figures(latencies)} (95th percentile allowed: ${p95Allowed.toFixed(0)} ms)`,
    );
    const worstAllowed = Math.max(HOVER_LIMIT_MS, 2 * at(baseline, 1));
    assert.ok(
      at(latencies, 1) < worstAllowed,
      `a hover took ${at(latencies, 1).toFixed(0)} ms while the large file was linted (allowed: ${worstAllowed.toFixed(0)} ms)`,
    );

    // The server goes on: an edit of the small file is linted afresh.
    client.forget(SMALL_URI);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: SMALL_URI, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '    // SAFETY: `p` is valid for reads.\n' },
      ],
    });
    assert.deepEqual(rules((await client.diagnostics(SMALL_URI, (params) => params.version === 2)).diagnostics), []);
  });
});
