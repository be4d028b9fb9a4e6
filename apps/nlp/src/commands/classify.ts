/**
 * `pnpm nlp classify train --model birnn|textcnn` — sentiment on the UCI labelled sentences
 * (@dlpipe/nlp's `trainSentiment`: fixed seeded 80/20 split, test accuracy and F1 next to naive
 * Bayes, run files under runs/classify-<model>/). `classify predict --model textcnn "great phone"`
 * prints the label and its probability per text (`predictSentiment`).
 *
 *   pnpm nlp classify train --model textcnn --epochs 5 && pnpm nlp classify predict --model textcnn "so bad"
 */
import { defineCommand, ensureDir } from '@dlpipe/core';
import { CLASSIFIERS, predictSentiment, type SentimentScores, trainSentiment } from '@dlpipe/nlp';
import { initBackend } from '@dlpipe/tensor';
import { z } from 'zod';

const flags = {
  model: z.enum(CLASSIFIERS).default('textcnn').meta({ description: 'the classifier (d2l 15.2, 15.3)' }),
  epochs: z.coerce.number().int().positive().default(5).meta({ description: 'train: passes over the data' }),
  batchSize: z.coerce
    .number()
    .int()
    .positive()
    .default(64)
    .meta({ description: 'train: sentences per batch' }),
  lr: z.coerce.number().positive().default(0.001).meta({ description: "train: Adam's learning rate" }),
  numSteps: z.coerce
    .number()
    .int()
    .positive()
    .default(40)
    .meta({ description: 'train: tokens per sentence' }),
  embedSize: z.coerce.number().int().positive().default(100).meta({ description: 'train: embedding width' }),
  numHiddens: z.coerce
    .number()
    .int()
    .positive()
    .default(100)
    .meta({ description: 'train, birnn: hidden units per direction' }),
  numLayers: z.coerce.number().int().positive().default(2).meta({ description: 'train, birnn: LSTM layers' }),
  maxSteps: z.coerce.number().int().positive().optional().meta({ description: 'train: stop after N steps' }),
  seed: z.coerce.number().int().default(0).meta({ description: 'train: seed of the split, init and order' }),
  resume: z
    .boolean()
    .default(false)
    .meta({ description: "train: continue from the run's latest checkpoint" }),
  out: z
    .string()
    .optional()
    .meta({ placeholder: 'DIR', description: 'the run (default: runs/classify-<model>)' }),
};

const fmt = (s: SentimentScores) => `accuracy ${s.accuracy.toFixed(3)}, F1 ${s.f1.toFixed(3)}`;

export const classify = defineCommand({
  summary: 'train a sentiment classifier (TextCNN, BiRNN) or label texts with one',
  description: `Sentiment on the UCI labelled sentences (seeded 80/20 split): train prints test accuracy
and F1 next to natural's naive Bayes and writes metrics.json, curves.png, history.jsonl, model/ and
vocab.json; predict prints the label and its probability per text.`,
  args: {
    action: z.enum(['train', 'predict']).describe('train a classifier, or label texts with a trained one'),
    texts: z.array(z.string()).describe('predict: the texts'),
  },
  flags,
  examples: [
    'pnpm nlp classify train --model textcnn --epochs 5',
    'pnpm nlp classify predict --model textcnn "great phone" "so bad"',
  ],
  json: true,
  async run(o) {
    await initBackend();
    const runDir = o.out ?? `runs/classify-${o.model}`;
    if (o.action === 'train') ensureDir(runDir, 'run folder');
    if (o.action === 'predict') {
      const rows = await predictSentiment(runDir, o.texts);
      return {
        lines: rows.map((r) => `${r.label}\t${r.probability.toFixed(3)}\t${r.text}`),
        data: rows,
      };
    }
    const r = await trainSentiment({ ...o, runDir });
    r.net.dispose();
    return {
      lines: [
        `${o.model}: ${fmt(r.test)} | naive Bayes (natural): ${fmt(r.naiveBayes)} (test ${r.testSentences} sentences, seed ${o.seed})`,
        `wrote ${r.files.join(', ')}`,
      ],
      data: {
        model: o.model,
        test: r.test,
        naiveBayes: r.naiveBayes,
        testSentences: r.testSentences,
        seconds: r.seconds,
        files: r.files,
      },
    };
  },
});
