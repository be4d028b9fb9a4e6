/**
 * `pnpm nlp bleu`: sacreBLEU 2.6.0's README example (`sacrebleu r1 r2 -i hyp` gives BLEU = 48.53
 * with 2 references) from files and from stdin, the --json fields, flags checked before work, and
 * bad input as one line with exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError, PathError } from '@dlpipe/core';
import { TextInputError } from '@dlpipe/nlp';
import { bleu } from './bleu.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-bleu-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const hyp = file('hyp.txt', "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
const ref1 = file('r1.txt', 'The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n');
const ref2 = file('r2.txt', 'The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n');
const SACRE_LINE = 'BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)';

async function run(...argv: string[]) {
  const ctx = { app: 'nlp', command: 'bleu', signal: new AbortController().signal, json: false };
  return (await bleu.spec.run(bleu.parse(argv), ctx)) as { lines: string[]; data: Record<string, unknown> };
}

describe('nlp bleu', () => {
  it("prints sacreBLEU's score line and signature, and --json's fields", async () => {
    const r = await run('--ref', ref1, '--ref', ref2, '--hyp', hyp);
    assert.deepEqual(r.lines, [SACRE_LINE, 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0']);
    assert.deepEqual(r.data.counts, [14, 7, 5, 3]);
    assert.deepEqual(r.data.totals, [17, 14, 11, 8]);
    assert.equal(r.data.sys_len, 17);
    assert.equal(r.data.ref_len, 18);
    assert.ok(Math.abs((r.data.score as number) - 48.530827009929865) < 1e-9);
    const floor = await run('--ref', ref1, '--hyp', hyp, '--smooth-method', 'floor', '--smooth-value', '0.5');
    assert.match(floor.lines[1]!, /smooth:floor\[0\.50\]/);
  });

  it('refuses --smooth-value with exp or none, and bad numbers, before reading files', async () => {
    await assert.rejects(run('--ref', ref1, '--hyp', hyp, '--smooth-value', '2'), OptionsError);
    assert.throws(() => bleu.parse(['--ref', ref1, '--smooth-value=-1']), /--smooth-value '-1'/);
    assert.throws(() => bleu.parse(['--ref', ref1, '--tokenize', 'ja-mecab']), /--tokenize 'ja-mecab'/);
    assert.throws(() => bleu.parse(['--hyp', hyp]), /--ref/);
  });

  it('names the file and the counts on bad input', async () => {
    const short = file('short.txt', 'The dog bit the man.\n');
    await assert.rejects(run('--ref', short, '--hyp', hyp), (e: unknown) => {
      return (
        e instanceof TextInputError &&
        /hyp\.txt: 3 lines, but the reference .*short\.txt has 1/.test(e.message)
      );
    });
    await assert.rejects(run('--ref', join(tmp, 'nope.txt'), '--hyp', hyp), PathError);
  });

  it('reads the hypothesis from stdin; bad input exits 2 with one line', () => {
    const bin = new URL('../../bin/dlpipe-nlp.mjs', import.meta.url).pathname;
    const env = { ...process.env, DLPIPE_QUIET: '1' };
    const ok = spawnSync(process.execPath, [bin, 'bleu', '--ref', ref1, '--ref', ref2, '--hyp', '-'], {
      input: "The dog bit the man.\r\nIt wasn't surprising.\r\nThe man had just bitten him.",
      encoding: 'utf8',
      env,
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], SACRE_LINE);
    const bad = spawnSync(process.execPath, [bin, 'bleu', '--ref', ref1], {
      input: 'one line\n',
      encoding: 'utf8',
      env,
    });
    assert.equal(bad.status, 2);
    assert.match(
      bad.stderr.trim(),
      /^dlpipe-nlp bleu: stdin: 1 lines, but the reference .*r1\.txt has 3[^\n]*$/,
    );
  });
});
