/**
 * The `dlpipe-vision` commands: train, eval, predict, finetune, preview and models. Each parses
 * nothing itself (args.ts did) and calls @dlpipe/vision; results go under runs/<name>/.
 *
 *   await train(parseVisionArgs(['train', '--model', 'lenet', '--epochs', '1']) as VisionOptions);
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type OptimizerOptions, Rng, saveModel, tf } from '@dlpipe/tensor';
import {
  augmentBatch,
  checkInput,
  countParameters,
  createModel,
  DatasetError,
  finetune as finetuneRun,
  type ImageSet,
  imageFolder,
  loadImageTensors,
  loadNsfwjsMobileNetV2,
  MODELS,
  modelNames,
  readManifest,
  replaceHead,
  trainClassifier,
  writeClassifierReport,
  writeImageGrid,
} from '@dlpipe/vision';
import type { VisionOptions } from './args.js';
import { cliAugmentation, loadData } from './data.js';

const runDir = (o: VisionOptions, fallback: string) => join(o.runs, o.name ?? fallback);

function optimizerOf(o: VisionOptions): OptimizerOptions {
  return o.optimizer === 'momentum'
    ? { name: 'momentum', lr: o.lr, momentum: 0.9 }
    : ({ name: o.optimizer, lr: o.lr } as OptimizerOptions);
}

export async function train(o: VisionOptions): Promise<string[]> {
  const entry = MODELS[o.model];
  const d = await loadData(o, {
    size: entry ? [entry.defaultInput[0], entry.defaultInput[1]] : [28, 28],
    channels: (entry?.defaultInput[2] ?? 1) === 3 ? 3 : 1,
  });
  const dir = runDir(o, o.model);
  const r = await trainClassifier({
    model: createModel(o.model, { inputShape: d.inputShape, numClasses: d.classNames.length }),
    train: d.train,
    test: d.test,
    classNames: d.classNames,
    epochs: o.epochs,
    optimizer: optimizerOf(o),
    runDir: dir,
    seed: o.seed,
    resume: o.resume,
    checkpointEvery: o.checkpointEvery,
    extra: { dataset: d.name, command: 'train', classNames: d.classNames },
  });
  return [
    `${o.model} on ${d.name}: test accuracy ${r.testAccuracy.toFixed(4)} (${r.secondsPerEpoch.toFixed(1)} s/epoch)`,
    ...r.files,
  ];
}

function loadRunModel(o: VisionOptions): Promise<tf.LayersModel> {
  const dir = join(runDir(o, o.model), 'model');
  if (!existsSync(join(dir, 'model.json'))) {
    throw new DatasetError(
      dir,
      'no trained model here: run `pnpm vision train --name …` first or pass --name of an existing run',
    );
  }
  return loadModel(dir);
}

export async function evaluateRun(o: VisionOptions): Promise<string[]> {
  const net = await loadRunModel(o);
  const [, h, w, c] = net.inputs[0]!.shape as number[];
  const d = await loadData(
    { ...o, resize: h, augment: false },
    { size: [h!, w!], channels: c === 3 ? 3 : 1 },
  );
  const r = await writeClassifierReport(net, d.test, {
    classNames: d.classNames,
    runDir: join(runDir(o, o.model), 'eval'),
  });
  return [`test accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}`, ...r.files];
}

function predictionSet(path: string): ImageSet {
  if (!existsSync(path)) throw new DatasetError(path, 'no such image, folder or manifest');
  if (!statSync(path).isDirectory()) {
    if (/\.(jsonl|csv)$/i.test(path)) return readManifest(path, { missingLabel: 'none' });
    return { source: path, classNames: [], samples: [{ path, label: -1 }] };
  }
  try {
    return imageFolder(path);
  } catch {
    return { source: path, classNames: [], samples: [] };
  }
}

export async function predict(o: VisionOptions): Promise<string[]> {
  const target = o.positional[0];
  if (!target)
    throw new DatasetError(
      'predict',
      'expected an image, folder or manifest: pnpm vision predict <path> --name RUN',
    );
  const net = await loadRunModel(o);
  const metrics = join(runDir(o, o.model), 'metrics.json');
  const classNames: string[] = existsSync(metrics)
    ? (JSON.parse(readFileSync(metrics, 'utf8')).classNames ?? [])
    : [];
  const [, h, w, c] = net.inputs[0]!.shape as number[];
  const set = predictionSet(target);
  const { x, samples } = await loadImageTensors(set, { size: [h!, w!], channels: c === 3 ? 3 : 1 });
  checkInput(net, x.shape);
  const probs = tf.tidy(() => tf.softmax(net.predict(x) as tf.Tensor)) as tf.Tensor2D;
  const { values, indices } = tf.topk(probs, Math.min(o.topK, probs.shape[1]));
  const v = values.arraySync() as number[][];
  const idx = indices.arraySync() as number[][];
  return samples.map((s, i) => {
    const top = idx[i]!.map((k, j) => `${classNames[k] ?? k} ${v[i]![j]!.toFixed(3)}`).join(', ');
    return `${s.path}: ${top}`;
  });
}

export async function finetune(o: VisionOptions): Promise<string[]> {
  if (!o.data) throw new DatasetError('finetune', 'expected --data FOLDER|MANIFEST (images of your classes)');
  const d = await loadData({ ...o, resize: 224 }, { size: [224, 224], channels: 3 });
  const dir = runDir(o, 'finetune');
  const net = replaceHead(await loadNsfwjsMobileNetV2(), { numClasses: d.classNames.length });
  await finetuneRun(net, d.train, d.test, {
    headEpochs: o.headEpochs,
    fullEpochs: o.epochs,
    lr: o.lr,
    runDir: dir,
    seed: o.seed,
  });
  const r = await writeClassifierReport(net, d.test, {
    classNames: d.classNames,
    runDir: dir,
    title: 'MobileNetV2 fine-tuned',
    extra: { classNames: d.classNames, model: { name: 'nsfwjs-mobilenet_v2', params: countParameters(net) } },
  });
  await saveModel(net, join(dir, 'model'));
  return [`fine-tuned MobileNetV2: test accuracy ${r.accuracy.toFixed(4)}`, ...r.files];
}

export async function preview(o: VisionOptions): Promise<string[]> {
  const size: [number, number] = [o.resize ?? 96, o.resize ?? 96];
  const d = await loadData({ ...o, augment: false }, { size, channels: 3 });
  const n = Math.min(o.count, d.test.x.shape[0]);
  const x = tf.slice(d.test.x, 0, n) as tf.Tensor4D;
  const aug = augmentBatch(x, cliAugmentation(size), new Rng(o.seed));
  const dir = runDir(o, 'preview');
  mkdirSync(dir, { recursive: true });
  return [await writeImageGrid(aug, join(dir, 'preview.png'), { columns: Math.ceil(Math.sqrt(n)) })];
}

export function models(): string[] {
  return modelNames().map((name) => {
    const e = MODELS[name]!;
    const net = createModel(name);
    const line = `${name.padEnd(12)} ${String(countParameters(net)).padStart(11)}  ${e.defaultInput.join('×').padEnd(11)} ${e.summary}`;
    net.dispose();
    return line;
  });
}
