import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { firstInvalidUtf8, utf8Check } from './utf8-check.js';

/** Pushes `chunks` through utf8Check; resolves to the offset it failed at, or -1. */
async function failsAt(chunks: number[][]): Promise<number> {
  let at = -1;
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const check = utf8Check((offset) => {
    at = offset;
    return new Error('invalid');
  });
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), check, sink).catch(() => undefined);
  return at;
}

describe('utf8Check', () => {
  it('finds the first invalid sequence exactly where the WHATWG decoder does', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], 2],
      [[0x61, 0xff], 1],
      [[0xc3, 0xa9, 0x80], 2], // a stray continuation byte
      [[0xe0, 0x80, 0x80], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0xf0, 0x9f, 0x98, 0x80, 0xc3], 4], // cut at the end
    ];
    for (const [bytes, at] of cases) {
      assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, JSON.stringify(bytes));
      const valid = at === bytes.length;
      assert.equal(
        (() => {
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
            return true;
          } catch {
            return false;
          }
        })(),
        valid,
      );
    }
  });

  it('passes sequences cut by chunk boundaries and fails at the offset in the whole stream', async () => {
    const smile = [0xf0, 0x9f, 0x98, 0x80]; // 😀
    assert.equal(await failsAt([[0x61, ...smile.slice(0, 1)], smile.slice(1, 3), [smile[3]!, 0x0a]]), -1);
    assert.equal(
      await failsAt([
        [0x61, 0x62],
        [0x63, 0xff],
      ]),
      3,
    );
    assert.equal(await failsAt([[0x61, 0xf0, 0x9f], [0x41]]), 1, 'a broken sequence across chunks');
    assert.equal(await failsAt([[0x61, 0x62, 0xe2, 0x82]]), 2, 'a sequence cut by the end of the stream');
  });

  it('fails at a NUL byte: valid UTF-8, but a binary file (SQLite, images), not text', async () => {
    assert.equal(
      await failsAt([
        [0x61, 0x62],
        [0x53, 0x00, 0x01],
      ]),
      3,
    );
  });
});
