/**
 * The sentiment pipeline of d2l §15.2–15.3: a TextCNN or BiRNN trained through `fit` on the UCI
 * labelled sentences (a fixed seeded 80/20 split), scored on the test part next to a naive Bayes
 * baseline on the same split, and saved: model/, vocab.json, curves.png, history.jsonl and
 * metrics.json under `runDir`. `predictSentiment` labels new texts with a saved run.
 *
 *   const r = await trainSentiment({ model: 'textcnn', epochs: 5, runDir: 'runs/classify-textcnn' });
 *   r.test.accuracy; r.naiveBayes.accuracy;
 *   const [p] = await predictSentiment('runs/classify-textcnn', ['so bad']);   // { label: 'negative', … }
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError, zodMessage } from '@dlpipe/core';
import { plotTrainingCurves, writeFigure } from '@dlpipe/plot';
import { fit, layersTask, loadModel, saveModel, tensorDataSource, type tf } from '@dlpipe/tensor';
import { z } from 'zod';
import type { LabelledSentence } from '../corpus/corpora.js';
import { ModelUseError } from '../errors.js';
import { stepCurves } from '../history-curves.js';
import { Vocab } from '../vocab/vocab.js';
import { CLASSIFIERS, type ClassifierName, createClassifier } from './classifiers.js';
import { NaiveBayesBaseline } from './naive-bayes.js';
import { encodeSentences, sentimentData, tokenizeSentences } from './sentiment-data.js';
import { predictClasses, predictProba, type SentimentScores, sentimentScores } from './sentiment-eval.js';

export interface TrainSentimentOptions {
  /** Where model/, vocab.json, curves.png, history.jsonl and metrics.json go. */
  runDir: string;
  /** Default 'textcnn'. */
  model?: ClassifierName;
  /** Default 5. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam's learning rate. Default 0.001. */
  lr?: number;
  /** Tokens per sentence after padding/truncation. Default 40. */
  numSteps?: number;
  /** Default 100. */
  embedSize?: number;
  /** BiRNN: hidden units per direction. Default 100. */
  numHiddens?: number;
  /** BiRNN: stacked layers. Default 2. */
  numLayers?: number;
  /** Stop after N optimizer steps. Default: no limit. */
  maxSteps?: number | undefined;
  /** Seed of the split, the init and the batch order. Default 0. */
  seed?: number;
  /** Continue from runDir's latest checkpoint. Default false. */
  resume?: boolean;
  /** The labelled sentences. Default: all 3,000 UCI ones. */
  sentences?: readonly LabelledSentence[];
  /** Progress bar on stderr. Default true. */
  progress?: boolean;
}

export const trainSentimentOptionsSchema = z.object({
  runDir: z.string().min(1),
  model: z.enum(CLASSIFIERS).default('textcnn'),
  epochs: z.number().int().positive().default(5),
  batchSize: z.number().int().positive().default(64),
  lr: z.number().positive().default(0.001),
  numSteps: z.number().int().positive().default(40),
  embedSize: z.number().int().positive().default(100),
  numHiddens: z.number().int().positive().default(100),
  numLayers: z.number().int().positive().default(2),
  maxSteps: z.number().int().positive().optional(),
  seed: z.number().int().default(0),
  resume: z.boolean().default(false),
  sentences: z.array(z.custom<LabelledSentence>()).optional(),
  progress: z.boolean().default(true),
});

export interface TrainSentimentResult {
  net: tf.LayersModel;
  /** The classifier on the test part. */
  test: SentimentScores;
  /** Naive Bayes on the same split. */
  naiveBayes: SentimentScores;
  trainSentences: number;
  testSentences: number;
  seconds: number;
  /** The files written. */
  files: string[];
}

/** Trains, scores and saves a sentiment classifier; see the file header. */
export async function trainSentiment(options: TrainSentimentOptions): Promise<TrainSentimentResult> {
  const r = trainSentimentOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('trainSentiment options', r.error));
  const o = r.data;
  const ds = sentimentData({ seed: o.seed, numSteps: o.numSteps, sentences: o.sentences });
  const net = createClassifier(o.model, {
    vocabSize: ds.vocab.size,
    numSteps: ds.numSteps,
    embedSize: o.embedSize,
    numHiddens: o.numHiddens,
    numLayers: o.numLayers,
  });
  const result = await fit(
    layersTask(net),
    tensorDataSource({ x: ds.train.x, y: ds.train.y }, { batchSize: o.batchSize, shuffle: true }),
    {
      epochs: o.epochs,
      optimizer: { name: 'adam', lr: o.lr },
      metrics: ['accuracy'],
      validation: tensorDataSource({ x: ds.test.x, y: ds.test.y }, { batchSize: 256 }),
      runDir: o.runDir,
      resume: o.resume,
      seed: o.seed,
      maxSteps: o.maxSteps,
      logEvery: 5,
      progress: o.progress,
    },
  );
  const yTrue = Array.from(ds.test.y.dataSync());
  const test = sentimentScores(yTrue, predictClasses(net, ds.test.x));
  const nb = NaiveBayesBaseline.train(
    ds.train.tokens,
    ds.train.sentences.map((s) => s.label),
  );
  const naiveBayes = sentimentScores(yTrue, nb.predict(ds.test.tokens));
  await saveModel(net, join(o.runDir, 'model'));
  ds.vocab.save(join(o.runDir, 'vocab.json'));
  const steps = stepCurves(result.history);
  const figs =
    steps.length > 0
      ? writeFigure(
          plotTrainingCurves(steps, { x: 'step', title: `${o.model} on UCI sentences` }),
          join(o.runDir, 'curves.png'),
        )
      : [];
  const metrics = {
    model: o.model,
    seed: o.seed,
    numSteps: ds.numSteps,
    test,
    naiveBayes,
    trainSentences: ds.train.sentences.length,
    testSentences: ds.test.sentences.length,
    seconds: result.seconds,
    history: result.history.filter((h) => h.kind === 'epoch'),
  };
  writeFileSync(join(o.runDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  for (const s of [ds.train, ds.test]) {
    s.x.dispose();
    s.y.dispose();
  }
  return {
    net,
    test,
    naiveBayes,
    trainSentences: metrics.trainSentences,
    testSentences: metrics.testSentences,
    seconds: result.seconds,
    files: [join(o.runDir, 'metrics.json'), ...figs, join(o.runDir, 'model/'), join(o.runDir, 'vocab.json')],
  };
}

export interface SentimentPrediction {
  text: string;
  label: 'positive' | 'negative';
  /** The probability of `label`. */
  probability: number;
}

/** Labels texts with the classifier saved in `runDir` (model/ and vocab.json). */
export async function predictSentiment(
  runDir: string,
  texts: readonly string[],
): Promise<SentimentPrediction[]> {
  if (texts.length === 0) {
    throw new ModelUseError('give one or more texts, e.g. `pnpm nlp classify predict "great phone"`.');
  }
  const net = await loadModel(join(runDir, 'model'));
  try {
    const numSteps = net.inputs[0]?.shape[1];
    if (typeof numSteps !== 'number') {
      throw new ModelUseError(
        `${runDir}/model: not a sentiment classifier (its input is not [batch, numSteps]).`,
      );
    }
    const vocab = Vocab.load(join(runDir, 'vocab.json'));
    const x = encodeSentences(tokenizeSentences(texts), vocab, numSteps);
    const probs = predictProba(net, x);
    x.dispose();
    return probs.map((p, i) => {
      const pos = p[1]!;
      return {
        text: texts[i]!,
        label: pos >= 0.5 ? 'positive' : 'negative',
        probability: Math.max(pos, 1 - pos),
      };
    });
  } finally {
    net.dispose();
  }
}
