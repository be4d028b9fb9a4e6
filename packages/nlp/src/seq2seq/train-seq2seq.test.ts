import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { evaluateSeq2Seq, testSetOfPairs, writeSeq2SeqEval } from './evaluate-seq2seq.js';
import { splitTokens } from './seq2seq-data.js';
import { loadSeq2Seq } from './seq2seq-io.js';
import { type TrainSeq2SeqOptions, trainSeq2Seq } from './train-seq2seq.js';
import { translate, translateTokens, writeTranslationHeatmap } from './translate.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-s2s-train-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A small model on a small synthetic task, no progress bar. */
const small = (runDir: string, o: Partial<TrainSeq2SeqOptions> = {}): TrainSeq2SeqOptions => ({
  runDir,
  arch: 'gru',
  pairs: 'copy',
  synthetic: { numPairs: 20, vocabSize: 6, minLen: 2, maxLen: 5, seed: 1 },
  numSteps: 6,
  embedSize: 16,
  numHiddens: 32,
  numLayers: 1,
  dropout: 0,
  lr: 0.01,
  batchSize: 32,
  minFreq: 1,
  progress: false,
  checkpointEvery: 0,
  ...o,
});

describe('trainSeq2Seq', () => {
  it('overfits 20 pairs (GRU): the training pairs come back exactly', async () => {
    const dir = join(tmp, 'overfit');
    const r = await trainSeq2Seq(small(dir, { epochs: 20, batchSize: 4 }));
    const loss = r.metrics.loss;
    assert.ok(loss !== undefined && loss < 1, `final loss ${loss}`);
    const saved = { model: r.model, vocabs: r.vocabs, lang: r.pairs.lang, numSteps: r.numSteps };
    const out = translateTokens(
      saved,
      r.pairs.train.map((p) => splitTokens(p[0])),
    );
    const exact = out.filter((t, i) => t.join(' ') === r.pairs.train[i]?.[1]).length / out.length;
    assert.ok(exact >= 0.9, `exact match on the training pairs ${exact}`);
    for (const f of ['history.jsonl', 'loss.png', 'metrics.json', 'model/model.json', 'run.json']) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    r.model.dispose();
  });

  it('learns the copy task with attention (Bahdanau); save/load gives identical translations', async () => {
    const dir = join(tmp, 'copy');
    const r = await trainSeq2Seq(
      small(dir, {
        arch: 'bahdanau',
        epochs: 6,
        batchSize: 16,
        synthetic: { numPairs: 250, vocabSize: 6, minLen: 2, maxLen: 5, seed: 2 },
      }),
    );
    const loaded = await loadSeq2Seq(dir);
    assert.deepEqual(loaded.model.config, r.model.config);
    const ev = evaluateSeq2Seq(loaded, testSetOfPairs(r.pairs.test, r.pairs.lang), { beam: 3 });
    // `pnpm bench nlp --only seq2seq` measures ≥ 99% with more pairs and epochs; here a quick bar.
    assert.ok(ev.greedy.exactMatch >= 0.5, `copy exact match ${ev.greedy.exactMatch}`);
    const saved = { model: r.model, vocabs: r.vocabs, lang: r.pairs.lang, numSteps: r.numSteps };
    const src = ['a b c d', 'f e', 'b b a'];
    for (const beam of [1, 3]) {
      assert.deepEqual(translate(loaded, src, { beam }), translate(saved, src, { beam }));
    }
    const before = tf.memory().numTensors;
    translate(loaded, src, { beam: 3 });
    assert.equal(tf.memory().numTensors, before, 'translating leaks no tensors');
    const [t] = translate(loaded, ['a b c d']);
    assert.ok(t);
    const files = writeTranslationHeatmap(loaded, t, join(dir, 'attention.png'));
    assert.deepEqual(files, [join(dir, 'attention.png')]);
    const file = writeSeq2SeqEval(dir, ev);
    const metrics = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(metrics.train && metrics.test.greedy.bleu >= 0);
    r.model.dispose();
    loaded.model.dispose();
  });

  it('resumes from the latest checkpoint, and refuses other settings', async () => {
    const dir = join(tmp, 'resume');
    const o = small(dir, { epochs: 3, batchSize: 4, checkpointEvery: 2 });
    const a = await trainSeq2Seq({ ...o, maxSteps: 6 });
    assert.equal(a.metrics.steps, 6);
    a.model.dispose();
    const b = await trainSeq2Seq({ ...o, resume: true });
    assert.ok(b.resumedFrom, 'resumed');
    assert.equal(b.metrics.epochs, 3);
    assert.equal(b.metrics.steps, 3 * Math.ceil(b.metrics.trainPairs / 4));
    b.model.dispose();
    await assert.rejects(trainSeq2Seq({ ...o, resume: true, numHiddens: 16 }), (e: Error) => {
      return e instanceof OptionsError && /other settings/.test(e.message);
    });
  });
});
