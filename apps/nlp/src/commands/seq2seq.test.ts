/**
 * `pnpm nlp seq2seq train|eval` end to end on a tiny copy task (run folder files, eval scores in
 * metrics.json, a custom --src/--ref test set), and bad input: one line, exit 2, nothing written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { dispatchCommand } from '@dlpipe/core';
import { seq2seq } from './seq2seq.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-seq2seq-cmd-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
process.env.DLPIPE_QUIET = '1';

/** Exit code, stdout and stderr of `pnpm nlp seq2seq …`. */
async function dispatch(t: TestContext, ...argv: string[]) {
  const errors: string[] = [];
  const out: string[] = [];
  t.mock.method(console, 'error', (...a: unknown[]) => errors.push(a.join(' ')));
  t.mock.method(console, 'log', (...a: unknown[]) => out.push(a.join(' ')));
  t.mock.method(process.stdout, 'write', (s: unknown) => typeof s !== 'string' || out.push(s) > 0);
  const code = await dispatchCommand('nlp', { seq2seq }, ['seq2seq', ...argv]);
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: errors.join('\n') };
}

const TINY = ['--pairs', 'copy', '--max-pairs', '64', '--epochs', '2', '--batch', '32', '--hiddens', '8'];
const SMALL = [...TINY, '--embed', '8', '--layers', '1', '--num-steps', '6', '--dropout', '0'];

describe('nlp seq2seq', () => {
  const run = join(tmp, 'run');

  it('trains a run folder, then scores it on the test split and on text files', async (t) => {
    const r = await dispatch(t, 'train', '--arch', 'bahdanau', ...SMALL, '--out', run);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /bahdanau on copy: 64 pairs/);
    for (const f of ['history.jsonl', 'loss.png', 'metrics.json', 'run.json', 'vocab-src.json', 'model']) {
      assert.ok(existsSync(join(run, f)), f);
    }
    const e = await dispatch(t, 'eval', '--model', run, '--beam', '2', '--json');
    assert.equal(e.code, 0, e.stderr);
    const data = JSON.parse(e.stdout);
    assert.ok(data.sentences > 0 && data.greedy.bleu >= 0 && data.beam.beamSize === 2);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    assert.equal(metrics.test.sentences, data.sentences);
    assert.equal(metrics.train.arch, 'bahdanau');
    const src = join(tmp, 'src.txt');
    const ref = join(tmp, 'ref.txt');
    writeFileSync(src, 'a b c\nd e\n');
    writeFileSync(ref, 'a b c\nd e\n');
    const c = await dispatch(t, 'eval', '--model', run, '--src', src, '--ref', ref, '--beam', '0');
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /bahdanau on 2 sentences:\n?.*greedy: BLEU = /s);
  });

  it('resumes a finished run without training again', async (t) => {
    const r = await dispatch(t, 'train', '--arch', 'bahdanau', ...SMALL, '--out', run, '--resume');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 epochs/);
  });

  it('bad input exits 2 with one line and writes nothing', async (t) => {
    const cases: Array<[string[], RegExp]> = [
      [['train', '--pairs', join(tmp, 'nope'), '--out', join(tmp, 'o1')], /nope: no such folder/],
      [['train', '--pairs', src(), '--out', join(tmp, 'o2')], /is a file; expected a folder/],
      [['train', '--pairs', tmp, '--out', join(tmp, 'o3')], /no pairs-en-<lang>\.train\.tsv/],
      [['train', '--arch', 'lstm'], /--arch/],
      [['train', '--epochs', '-1'], /--epochs/],
      [['train', '--out', src()], /is a file, not a folder/],
      [['train', '--model', run], /--model: not read by seq2seq train/],
      [['eval'], /--model: seq2seq eval needs the run folder/],
      [['eval', '--model', join(tmp, 'nope')], /nope: no such folder/],
      [['eval', '--model', tmp], /no model\.json here or in model\//],
      [['eval', '--model', run, '--tokenize', 'moses'], /--tokenize/],
      [['eval', '--model', run, '--src', src()], /--ref: give --src and --ref together/],
      [
        ['eval', '--model', run, '--src', src(), '--ref', write('one.txt', 'x\n')],
        /has 2 lines but .*one\.txt has 1/,
      ],
      [['eval', '--model', run, '--src', src(), '--ref', write('empty.txt', '')], /reference file is empty/],
      [['eval', '--model', run, '--out', join(tmp, 'o4')], /--out: not read by seq2seq eval/],
    ];
    const before = readdirSync(tmp).sort();
    for (const [argv, pattern] of cases) {
      const r = await dispatch(t, ...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', pattern);
    }
    assert.deepEqual(readdirSync(tmp).sort(), before, 'nothing written');
  });
});

function write(name: string, text: string): string {
  const p = join(tmp, name);
  if (!existsSync(p)) writeFileSync(p, text);
  return p;
}

function src(): string {
  return write('src.txt', 'a b c\nd e\n');
}
