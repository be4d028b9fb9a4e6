/**
 * Saving and loading fitted transforms as JSON, through an explicit registry of kinds.
 *
 *   await saveTransform('runs/prep/scaler.json', scaler);
 *   const scaler = await loadTransform<StandardScaler>('runs/prep/scaler.json');
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@dlpipe/core';
import { TransformError } from '../errors.js';
import { Bucketizer, KBinsDiscretizer } from '../features/bucketize.js';
import { DateParts } from '../features/date-parts.js';
import { LabelEncoder, OneHotEncoder, OrdinalEncoder } from '../features/encoders.js';
import { HashingEncoder } from '../features/hashing.js';
import { TfidfVectorizer } from '../features/tfidf.js';
import { TextTransformer } from '../text/tokenize.js';
import { SimpleImputer } from './imputer.js';
import { Log1pTransformer } from './log1p.js';
import { TransformPipeline } from './pipeline.js';
import { MaxAbsScaler, MinMaxScaler, StandardScaler } from './scalers.js';
import type { Transformer, TransformState } from './transformer.js';

/** Anything that saves as a TransformState. */
export interface Saveable {
  toJSON(): TransformState;
}

type Restorer<T> = (config: never, state: never) => T;

/** The table transforms (what a TransformPipeline holds), by name. */
const TABLE_TRANSFORMS: Record<string, Restorer<Transformer>> = {
  StandardScaler: (c: object, s) => new StandardScaler(c).setState(s),
  MinMaxScaler: (c: object, s) => new MinMaxScaler(c).setState(s),
  MaxAbsScaler: (c: object, s) => new MaxAbsScaler(c).setState(s),
  Log1pTransformer: (c: object, s) => new Log1pTransformer(c).setState(s),
  SimpleImputer: (c: object, s) => new SimpleImputer(c).setState(s),
  TextTransformer: (c: object, s) => new TextTransformer(c).setState(s),
  OneHotEncoder: (c: object, s) => new OneHotEncoder(c).setState(s),
  OrdinalEncoder: (c: object, s) => new OrdinalEncoder(c).setState(s),
  HashingEncoder: (c: object, s) => new HashingEncoder(c).setState(s),
  DateParts: (c: object, s) => new DateParts(c).setState(s),
  KBinsDiscretizer: (c: object, s) => new KBinsDiscretizer(c).setState(s),
  Bucketizer: (c: { boundaries: Record<string, number[]> }, s) => new Bucketizer(c).setState(s),
  TransformPipeline: (_c, s: TransformState[]) =>
    new TransformPipeline(
      s.map((step, i) => restoreFrom(TABLE_TRANSFORMS, step, `TransformPipeline step ${i}`)),
    ),
};

/** Every saveable kind, by name: the table transforms, and those of texts or label arrays. */
export const TRANSFORMS: Record<string, Restorer<Saveable>> = {
  ...TABLE_TRANSFORMS,
  TfidfVectorizer: (c: object, s: { vocabulary: string[]; idf: number[] }) =>
    new TfidfVectorizer(c).setState(s),
  LabelEncoder: (_c, s: { classes: Array<string | number> }) =>
    Object.assign(new LabelEncoder(), { classes: s.classes }),
};

/** A transform from its saved state. */
export function restoreTransform(state: TransformState, file = '<state>'): Saveable {
  return restoreFrom(TRANSFORMS, state, file);
}

/** A saved state restored through one registry; `where` names it in errors. */
function restoreFrom<T>(registry: Record<string, Restorer<T>>, state: TransformState, where: string): T {
  if (!state || typeof state !== 'object' || typeof state.kind !== 'string') {
    throw new TransformError(`${where}: not a saved transform (expected { kind, version, config, state })`);
  }
  const make = registry[state.kind];
  if (!make) {
    throw new TransformError(
      `${where}: unknown transform kind '${state.kind}'; known: ${Object.keys(registry).join(', ')}`,
    );
  }
  if (state.version !== 1)
    throw new TransformError(
      `${where}: ${state.kind} version ${state.version} is newer than this dlpipe (1)`,
    );
  return make(state.config as never, state.state as never);
}

/** Writes a fitted transform as JSON (atomically: core's writeFileAtomic). */
export async function saveTransform(path: string, t: Saveable): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(t.toJSON(), null, 1)}\n`);
}

/** Reads a transform saved by `saveTransform`. */
export async function loadTransform<T extends Saveable = Saveable>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TransformError(`${path}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  let state: TransformState;
  try {
    state = JSON.parse(text) as TransformState;
  } catch (err) {
    throw new TransformError(`${path}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return restoreTransform(state, path) as T;
}
