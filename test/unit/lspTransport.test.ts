// The language server's text and transport layers on their own: LSP positions in every encoding
// and line convention, and the framing of messages split, merged or broken in every way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LspLines, type PositionEncoding } from '../../src/server/text/lspLines';
import { FrameParser, type FrameEvent } from '../../src/server/transport/frameParser';
import { Random } from '../support/random';

function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
}

const bodies = (events: FrameEvent[]) =>
  events.map((event) => (event.kind === 'body' ? event.body.toString('utf8') : `error: ${event.message}`));

describe('LspLines', () => {
  const text = 'a\rbé\r\n🦀x\n\rlast';
  const lines = new LspLines(text);

  it('ends lines at \\n, \\r\\n and a lone \\r', () => {
    assert.equal(lines.lineCount, 5);
    assert.deepEqual(lines.positionAt(text.indexOf('b'), 'utf-16'), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('x'), 'utf-16'), { line: 2, character: 2 });
    assert.deepEqual(lines.positionAt(text.indexOf('last'), 'utf-16'), { line: 4, character: 0 });
    assert.equal(lines.offsetAt({ line: 3, character: 0 }, 'utf-16'), text.indexOf('\rlast'));
  });

  it('counts characters in the negotiated encoding', () => {
    const x = text.indexOf('x');
    const expected: Record<PositionEncoding, number> = { 'utf-8': 4, 'utf-16': 2, 'utf-32': 1 };
    for (const [encoding, character] of Object.entries(expected) as [PositionEncoding, number][]) {
      assert.deepEqual(lines.positionAt(x, encoding), { line: 2, character }, encoding);
      assert.equal(lines.offsetAt({ line: 2, character }, encoding), x, encoding);
    }
    assert.deepEqual(lines.positionAt(text.indexOf('\r\n'), 'utf-8'), { line: 1, character: 3 }, 'é is two bytes');
  });

  it('clamps as the specification says: past the line end, past the last line, inside a code point', () => {
    assert.equal(lines.offsetAt({ line: 1, character: 99 }, 'utf-16'), text.indexOf('\r\n'));
    assert.equal(lines.offsetAt({ line: 99, character: 0 }, 'utf-8'), text.length);
    assert.equal(lines.offsetAt({ line: 2, character: 1 }, 'utf-16'), text.indexOf('🦀'), 'between the surrogates');
    assert.equal(lines.offsetAt({ line: 2, character: 2 }, 'utf-8'), text.indexOf('🦀'), 'inside the UTF-8 bytes');
  });

  it('round-trips every offset of random text in every encoding', () => {
    const random = new Random(3);
    const pieces = ['a', 'é', '→', '🦀', '\r', '\n', '\r\n', ' '];
    for (let round = 0; round < 50; round++) {
      const sample = Array.from({ length: 60 }, () => random.pick(pieces)).join('');
      const sampleLines = new LspLines(sample);
      for (const encoding of ['utf-8', 'utf-16', 'utf-32'] as const) {
        for (let offset = 0; offset <= sample.length; offset++) {
          const code = sample.charCodeAt(offset);
          const insideBreak = sample[offset - 1] === '\r' && sample[offset] === '\n';
          const insidePair = code >= 0xdc00 && code <= 0xdfff;
          if (insideBreak || insidePair) continue;
          assert.equal(
            sampleLines.offsetAt(sampleLines.positionAt(offset, encoding), encoding),
            offset,
            `${encoding} offset ${offset} of ${JSON.stringify(sample)}`,
          );
        }
      }
    }
  });
});

describe('FrameParser', () => {
  it('reads messages split at every byte and merged in one chunk', () => {
    const messages = ['{"a":1}', '{"b":"ä🦀"}', '{}'];
    const stream = Buffer.concat(messages.map(frame));
    const parser = new FrameParser();
    const events: FrameEvent[] = [];
    for (let i = 0; i < stream.length; i++) events.push(...parser.push(stream.subarray(i, i + 1)));
    assert.deepEqual(bodies(events), messages);
    assert.deepEqual(bodies(new FrameParser().push(stream)), messages);
    assert.equal(parser.pending(), undefined);
  });

  it('reports a broken header and goes on at the next Content-Length', () => {
    const parser = new FrameParser();
    const events = parser.push(Buffer.concat([Buffer.from('Content-Length: 12x\r\n\r\n{"lost":true}'), frame('{"ok":1}')]));
    assert.deepEqual(bodies(events), ['error: Content-Length "12x" is not a number of bytes', '{"ok":1}']);
    assert.deepEqual(bodies(new FrameParser().push(Buffer.from('Content-Type: x\r\n\r\n'))), [
      'error: message header has no Content-Length field',
    ]);
    assert.deepEqual(bodies(new FrameParser().push(Buffer.from('Content-Length: 99999999999\r\n\r\n'))), [
      'error: Content-Length "99999999999" is not a number of bytes',
    ]);
  });

  it('reports a header that never ends, and says what was left half-read', () => {
    const parser = new FrameParser();
    assert.match(bodies(parser.push(Buffer.alloc(9000, 'x')))[0]!, /no end of message header/);
    const partial = new FrameParser();
    partial.push(Buffer.from('Content-Length: 10\r\n\r\n{"a"'));
    assert.equal(partial.pending(), 'a message body of 10 bytes ended after 4 bytes');
  });
});
