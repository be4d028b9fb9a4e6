/**
 * `pnpm nlp classify train --model birnn|textcnn` — sentiment on the UCI labelled sentences
 * (fixed seeded 80/20 split): trains through `fit`, then test accuracy and F1 next to `natural`'s
 * naive Bayes on the same split; writes metrics.json, curves.png, history.jsonl, model/ and
 * vocab.json under runs/classify-<model>/. `classify predict --model textcnn "great phone"`
 * prints the label and its probability per text.
 *
 *   pnpm nlp classify train --model textcnn --epochs 5 && pnpm nlp classify predict --model textcnn "so bad"
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLASSIFIERS,
  createClassifier,
  encodeSentences,
  ModelUseError,
  NaiveBayesBaseline,
  predictClasses,
  predictProba,
  sentimentData,
  sentimentScores,
  tokenizeSentences,
  Vocab,
} from '@dlpipe/nlp';
import {
  type Command,
  fit,
  initBackend,
  layersTask,
  loadModel,
  parseCommandArgs,
  plotTrainingCurves,
  saveModel,
  tensorDataSource,
  writeFigure,
} from '@dlpipe/tensor';
import { z } from 'zod';

const USAGE = `usage: pnpm nlp classify train --model textcnn|birnn [--epochs 5] [--batch-size 64] [--lr 0.001]
       [--num-steps 40] [--embed-size 100] [--num-hiddens 100] [--num-layers 2] [--max-steps N] [--seed 0]
       [--resume] [--out runs/classify-<model>]
       pnpm nlp classify predict --model textcnn|birnn [--out DIR] TEXT...

Sentiment on the UCI labelled sentences (seeded 80/20 split): test accuracy and F1 next to natural's
naive Bayes; predict prints the label and its probability per text.`;

const schema = z.object({
  _: z.tuple([z.enum(['train', 'predict'])]).rest(z.string()),
  model: z.enum(CLASSIFIERS).default('textcnn'),
  epochs: z.coerce.number().int().positive().default(5),
  'batch-size': z.coerce.number().int().positive().default(64),
  lr: z.coerce.number().positive().default(0.001),
  'num-steps': z.coerce.number().int().positive().default(40),
  'embed-size': z.coerce.number().int().positive().default(100),
  'num-hiddens': z.coerce.number().int().positive().default(100),
  'num-layers': z.coerce.number().int().positive().default(2),
  'max-steps': z.coerce.number().int().positive().optional(),
  seed: z.coerce.number().int().default(0),
  resume: z.boolean().default(false),
  out: z.string().optional(),
});
type Options = z.output<typeof schema>;

const OPTIONS = {
  ...Object.fromEntries(
    [
      'model',
      'epochs',
      'batch-size',
      'lr',
      'num-steps',
      'embed-size',
      'num-hiddens',
      'num-layers',
      'max-steps',
      'seed',
      'out',
    ].map((k) => [k, { type: 'string' }]),
  ),
  resume: { type: 'boolean' },
} as Record<string, { type: 'string' | 'boolean' }>;

const runDir = (o: Options) => o.out ?? `runs/classify-${o.model}`;

async function train(o: Options): Promise<number> {
  await initBackend();
  const ds = sentimentData({ seed: o.seed, numSteps: o['num-steps'] });
  const net = createClassifier(o.model, {
    vocabSize: ds.vocab.size,
    numSteps: ds.numSteps,
    embedSize: o['embed-size'],
    numHiddens: o['num-hiddens'],
    numLayers: o['num-layers'],
  });
  const dir = runDir(o);
  const result = await fit(
    layersTask(net),
    tensorDataSource({ x: ds.train.x, y: ds.train.y }, { batchSize: o['batch-size'], shuffle: true }),
    {
      epochs: o.epochs,
      optimizer: { name: 'adam', lr: o.lr },
      metrics: ['accuracy'],
      validation: tensorDataSource({ x: ds.test.x, y: ds.test.y }, { batchSize: 256 }),
      runDir: dir,
      resume: o.resume,
      seed: o.seed,
      maxSteps: o['max-steps'],
      logEvery: 5,
    },
  );
  const yTrue = Array.from(ds.test.y.dataSync());
  const scores = sentimentScores(yTrue, predictClasses(net, ds.test.x));
  const labels = (s: typeof ds.train) => s.sentences.map((r) => r.label);
  const nb = NaiveBayesBaseline.train(ds.train.tokens, labels(ds.train));
  const baseline = sentimentScores(yTrue, nb.predict(ds.test.tokens));
  await saveModel(net, join(dir, 'model'));
  ds.vocab.save(join(dir, 'vocab.json'));
  const figs = writeFigure(
    plotTrainingCurves(
      result.history.filter((r) => r.kind === 'step') as unknown as Array<Record<string, number>>,
      {
        x: 'step',
        title: `${o.model} on UCI sentences`,
      },
    ),
    join(dir, 'curves.png'),
  );
  const metrics = {
    model: o.model,
    seed: o.seed,
    numSteps: ds.numSteps,
    test: scores,
    naiveBayes: baseline,
    trainSentences: ds.train.sentences.length,
    testSentences: ds.test.sentences.length,
    seconds: result.seconds,
    history: result.history.filter((r) => r.kind === 'epoch'),
  };
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  const fmt = (s: { accuracy: number; f1: number }) =>
    `accuracy ${s.accuracy.toFixed(3)}, F1 ${s.f1.toFixed(3)}`;
  console.log(
    `${o.model}: ${fmt(scores)} | naive Bayes (natural): ${fmt(baseline)} (test ${ds.test.sentences.length} sentences, seed ${o.seed})`,
  );
  console.log(
    `wrote ${[join(dir, 'metrics.json'), ...figs, join(dir, 'model/'), join(dir, 'vocab.json')].join(', ')}`,
  );
  return 0;
}

async function predict(o: Options, texts: string[]): Promise<number> {
  if (texts.length === 0)
    throw new ModelUseError(
      'nlp classify predict: give one or more texts, e.g. `pnpm nlp classify predict "great phone"`.',
    );
  await initBackend();
  const dir = runDir(o);
  const net = await loadModel(join(dir, 'model'));
  const numSteps = net.inputs[0]?.shape[1];
  if (typeof numSteps !== 'number')
    throw new ModelUseError(`${dir}/model: not a sentiment classifier (its input is not [batch, numSteps]).`);
  const vocab = Vocab.load(join(dir, 'vocab.json'));
  const probs = predictProba(net, encodeSentences(tokenizeSentences(texts), vocab, numSteps));
  probs.forEach((p, i) => {
    const pos = p[1]!;
    console.log(`${pos >= 0.5 ? 'positive' : 'negative'}\t${Math.max(pos, 1 - pos).toFixed(3)}\t${texts[i]}`);
  });
  return 0;
}

export const classify: Command = {
  summary: 'train a sentiment classifier (TextCNN, BiRNN) or label texts with one',
  usage: USAGE,
  async run(argv) {
    const o = parseCommandArgs(argv, OPTIONS, schema, USAGE);
    const [sub, ...texts] = o._;
    return sub === 'train' ? train(o) : predict(o, texts);
  },
};
