import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { splitAtSpaces, tokenize } from './tokenize.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-tokenize-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The command's result (lines and data) for argv, without printing. */
async function run(...argv: string[]) {
  const ctx = { app: 'nlp', command: 'tokenize', signal: new AbortController().signal, json: false };
  return tokenize.spec.run(tokenize.parse(argv), ctx);
}

describe('nlp tokenize --file', () => {
  it('a missing file or a folder is a PathError naming it', async () => {
    await assert.rejects(
      run('--file', join(tmp, 'nope.txt')),
      (e: unknown) =>
        e instanceof PathError && /nope\.txt: no such file \(the text file \(--file\)\)/.test(e.message),
    );
    await assert.rejects(
      run('--file', tmp),
      (e: unknown) => e instanceof PathError && /is a folder/.test(e.message),
    );
  });

  it('an over-long line names the file and the line, and --max-line-chars raises the limit', async () => {
    const f = join(tmp, 'long.txt');
    writeFileSync(f, `hello world\n\n${'ab '.repeat(400_000)}\n`);
    await assert.rejects(
      run('--file', f),
      /long\.txt, line 3: 1200000 characters, more than the limit of 1000000: .*--max-line-chars 1200000/,
    );
    const en = await run('--file', f, '--max-line-chars', '1200000');
    const tokens = (en as { data: string[][] }).data;
    assert.deepEqual(tokens[0], ['hello', 'world']);
    assert.equal(tokens[1]!.length, 400_000);
    assert.ok(tokens[1]!.every((t) => t === 'ab'));
    const wp = (await run('--file', f, '--lang', 'wordpiece', '--max-line-chars', '1200000')) as {
      data: string[][];
    };
    assert.deepEqual(wp.data[0], ['[CLS]', 'hello', 'world', '[SEP]']);
    assert.equal(wp.data[1]!.length, 400_002);
    assert.deepEqual([wp.data[1]![0], wp.data[1]!.at(-1)], ['[CLS]', '[SEP]']);
    await assert.rejects(run('--file', f, '--max-line-chars', '0'), /--max-line-chars '0'/);
  });

  it('splitAtSpaces cuts at whitespace only, into pieces of at most max characters', () => {
    assert.deepEqual(splitAtSpaces('aa bb cc', 5), ['aa ', 'bb cc']);
    assert.deepEqual(splitAtSpaces('aa bb cc', 100), ['aa bb cc']);
    assert.equal(splitAtSpaces('aaaaaa bb', 5), undefined, 'no space within the first 5');
    assert.equal(splitAtSpaces('a b c d e f g', 3)!.join(''), 'a b c d e f g');
  });
});
