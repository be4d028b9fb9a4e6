import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError, Rng } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import type { LabelledSentence } from '../corpus/corpora.js';
import { ModelUseError } from '../errors.js';
import { predictSentiment, trainSentiment } from './train-sentiment.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-nlp-sentiment-'));
before(async () => {
  await initBackend();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Separable toy sentences: a positive or a negative word among filler. */
function toySentences(n: number, seed: number): LabelledSentence[] {
  const rng = new Rng(seed);
  const filler = ['the', 'food', 'was', 'and', 'service', 'it', 'is', 'a', 'place', 'very'];
  const pos = ['good', 'great', 'lovely'];
  const neg = ['bad', 'awful', 'rude'];
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const words = Array.from({ length: 3 + rng.int(5) }, () => filler[rng.int(filler.length)]!);
    words.splice(rng.int(words.length + 1), 0, (label ? pos : neg)[rng.int(3)]!);
    return { text: words.join(' '), label, source: 'yelp' as const };
  });
}

describe('trainSentiment', () => {
  const runDir = join(tmp, 'cnn');

  it('trains TextCNN on a toy set, scores it next to naive Bayes and writes the run', async () => {
    const r = await trainSentiment({
      runDir,
      model: 'textcnn',
      sentences: toySentences(200, 1),
      epochs: 8,
      batchSize: 16,
      lr: 0.01,
      numSteps: 10,
      embedSize: 8,
      seed: 0,
      progress: false,
    });
    r.net.dispose();
    assert.deepEqual([r.trainSentences, r.testSentences], [160, 40]);
    assert.ok(r.test.accuracy >= 0.9, `TextCNN accuracy ${r.test.accuracy}`);
    assert.ok(r.naiveBayes.accuracy >= 0.9, `naive Bayes accuracy ${r.naiveBayes.accuracy}`);
    for (const f of ['metrics.json', 'curves.png', 'history.jsonl', 'vocab.json', 'model/model.json']) {
      assert.ok(existsSync(join(runDir, f)), f);
    }
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.deepEqual([m.model, m.numSteps, m.testSentences, m.history.length], ['textcnn', 10, 40, 8]);
    assert.deepEqual([m.test, m.naiveBayes], [r.test, r.naiveBayes]);
  });

  it('predictSentiment labels new texts with the saved run', async () => {
    const rows = await predictSentiment(runDir, ['the food was great', 'it is a bad place']);
    assert.deepEqual(
      rows.map((p) => p.label),
      ['positive', 'negative'],
    );
    for (const p of rows) assert.ok(p.probability >= 0.5 && p.probability <= 1, `${p.probability}`);
    await assert.rejects(predictSentiment(runDir, []), ModelUseError);
  });

  it('rejects bad options with the field named', async () => {
    await assert.rejects(trainSentiment({ runDir, epochs: 0 }), (e: Error) => {
      assert.ok(e instanceof OptionsError);
      assert.match(e.message, /^trainSentiment options: epochs: /);
      return true;
    });
  });
});
