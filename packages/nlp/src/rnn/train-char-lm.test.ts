import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initBackend } from '@dlpipe/tensor';
import { loadRNNLM } from './lm-io.js';
import { charCorpus, generateChars, trainCharLM } from './train-char-lm.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-nlp-charlm-'));
before(async () => {
  await initBackend();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('charCorpus', () => {
  it('keeps letters and single spaces, lowercase, as d2l preprocesses the Time Machine', () => {
    assert.deepEqual(charCorpus('Call me\n\nIshmael!  1851', 12).join(''), 'call me ishm');
  });
});

describe('trainCharLM', () => {
  it('a GRU learns a repeating text far below uniform perplexity, saves it, and generates it', async () => {
    const runDir = join(tmp, 'gru');
    const text = 'abcd '.repeat(400);
    const r = await trainCharLM({
      runDir,
      kind: 'gru',
      text,
      numHiddens: 16,
      batchSize: 4,
      numSteps: 10,
      epochs: 4,
      lr: 0.05,
      seed: 0,
      progress: false,
    });
    assert.equal(r.metrics.chars, 1999); // the trailing space is trimmed
    assert.equal(r.metrics.vocab, 6); // a b c d ' ' <unk>
    assert.ok(r.metrics.perplexity! < 2, `perplexity ${r.metrics.perplexity}`); // uniform: 6
    assert.ok(r.metrics.valPerplexity! < 2, `held-out ${r.metrics.valPerplexity}`);
    assert.equal(generateChars(r.lm, r.vocab, 'ab', 8), 'abcd abcd ');
    for (const f of ['metrics.json', 'history.jsonl', 'curves.png', 'model/model.json']) {
      assert.ok(existsSync(join(runDir, f)), f);
    }
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.deepEqual([m.model, m.steps, m.history.length], ['gru', r.metrics.steps, 4]);
    const saved = await loadRNNLM(join(runDir, 'model'));
    assert.equal(generateChars(saved.lm, saved.vocab, 'cd', 5), 'cd abcd');
  });
});
