/**
 * `pnpm nlp translate` with a tiny Bahdanau model of the copy task: sentences from the arguments
 * and from stdin, beam search, the attention heatmap (Chinese tokens too), and bad input: one
 * line, exit 2, nothing written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { dispatchCommand } from '@dlpipe/core';
import { loadSeq2Seq, trainSeq2Seq, translationAttention, writeTranslationHeatmap } from '@dlpipe/nlp';
import { translate } from './translate.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-translate-cmd-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const run = join(tmp, 'run');

before(async () => {
  const r = await trainSeq2Seq({
    runDir: run,
    arch: 'bahdanau',
    pairs: 'copy',
    maxPairs: 64,
    epochs: 1,
    numSteps: 6,
    embedSize: 8,
    numHiddens: 8,
    numLayers: 1,
    progress: false,
  });
  r.model.dispose();
});

async function dispatch(t: TestContext, argv: string[]) {
  const errors: string[] = [];
  const out: string[] = [];
  t.mock.method(console, 'error', (...a: unknown[]) => errors.push(a.join(' ')));
  t.mock.method(console, 'log', (...a: unknown[]) => out.push(a.join(' ')));
  t.mock.method(process.stdout, 'write', (s: unknown) => typeof s !== 'string' || out.push(s) > 0);
  const code = await dispatchCommand('nlp', { translate }, ['translate', ...argv]);
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: errors.join('\n') };
}

describe('nlp translate', () => {
  it('translates the text argument greedily and by beam search, with a heatmap', async (t) => {
    const png = join(tmp, 'attention.png');
    const r = await dispatch(t, ['--model', run, '--heatmap', png, '--json', 'a', 'b', 'c']);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout);
    assert.equal(data.translations.length, 1);
    assert.deepEqual(data.translations[0].srcTokens, ['a', 'b', 'c']);
    assert.deepEqual(data.files, [png]);
    assert.ok(existsSync(png));
    const b = await dispatch(t, ['--model', run, '--beam', '3', 'a b c']);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.split('\n').filter((l) => l.trim()).length, 1);
  });

  it('reads sentences from stdin, one a line', () => {
    const bin = new URL('../../bin/dlpipe-nlp.mjs', import.meta.url).pathname;
    const env = { ...process.env, DLPIPE_QUIET: '1' };
    const cli = (input: string) =>
      spawnSync(process.execPath, [bin, 'translate', '--model', join(run, 'model'), '--json'], {
        input,
        encoding: 'utf8',
        env,
      });
    const ok = cli('a b\n\nc d e\n');
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).translations.length, 2);
    const empty = cli('\n\n');
    assert.equal(empty.status, 2);
    assert.match(empty.stderr.trim(), /^dlpipe-nlp translate: stdin held no sentences[^\n]*$/);
  });

  it('draws Chinese output tokens in the heatmap', async () => {
    const saved = await loadSeq2Seq(run);
    const t = { srcTokens: ['a', 'b'], tokens: ['无法', '打开'], text: '无法打开' };
    const w = translationAttention(saved, t);
    assert.equal(w.length, 3); // 2 output tokens + <eos> rows
    assert.equal(w[0]?.length, 3); // 2 source tokens + <eos> columns
    for (const row of w) assert.ok(Math.abs(row.reduce((a, v) => a + v, 0) - 1) < 1e-5);
    const [svg] = writeTranslationHeatmap(saved, t, join(tmp, 'zh.svg'));
    assert.match(readFileSync(svg ?? '', 'utf8'), /无法/);
    saved.model.dispose();
  });

  it('bad input exits 2 with one line and writes nothing', async (t) => {
    const cases: Array<[string[], RegExp]> = [
      [['--model', join(tmp, 'nope'), 'x'], /nope: no such folder/],
      [['--model', tmp, 'x'], /no model\.json here or in model\//],
      [['--model', run, '--heatmap', join(tmp, 'missing', 'h.png'), 'x'], /missing\/h\.png: its folder/],
      [['--model', run, '--heatmap', tmp, 'x'], /is a folder; expected a file name/],
      [
        ['--model', run, '--heatmap', join(tmp, 'h.jpg'), 'x'],
        /--heatmap .*h\.jpg: write a \.png or \.svg file/,
      ],
      [['--model', run, '--beam', '0', 'x'], /--beam/],
      [['--model', run, '   '], /sentence 1 is empty/],
    ];
    const before = readdirSync(tmp).sort();
    for (const [argv, pattern] of cases) {
      const r = await dispatch(t, argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', pattern);
    }
    assert.deepEqual(readdirSync(tmp).sort(), before, 'nothing written');
  });
});
