/**
 * A trained detection run as `trainDetector` leaves it (runs/<name>/model/ written by the
 * detector's `saveModel`, its config carrying the class names): `detectorRunProblem` says cheaply,
 * without loading weights, why a folder is not one (missing, no model.json, a classifier's model);
 * `loadDetectorRun` builds the detector through the registry (`loadDetector`).
 *
 *   const { detector, classNames } = await loadDetectorRun('runs/tinyssd');  // or 'runs/tinyssd/model'
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../errors.js';
import { type Detector, type DetectorConfig, loadDetector } from '../model/detector.js';

export interface DetectorRun {
  detector: Detector;
  /** From the saved config; `class <id>` for missing names. */
  classNames: string[];
  /** The folder given. */
  dir: string;
  /** The folder holding model.json. */
  modelDir: string;
}

/** `dir` itself when it holds model.json, else `dir/model`. */
export function detectorModelDir(dir: string): string {
  return existsSync(join(dir, 'model.json')) ? dir : join(dir, 'model');
}

/** Reads the detector config in model.json, or says why there is none (one line, naming the folder). */
export function readDetectorConfig(dir: string): { config?: DetectorConfig; problem?: string } {
  const fix = 'pass a run of `pnpm vision train --model tinyssd|yolo` (runs/<name>)';
  if (!existsSync(dir)) return { problem: `${dir}: no such run folder; ${fix}` };
  if (!statSync(dir).isDirectory()) return { problem: `${dir}: a file, expected a run folder; ${fix}` };
  const file = join(detectorModelDir(dir), 'model.json');
  if (!existsSync(file)) return { problem: `${dir}: no model.json in it or in model/; ${fix}` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { problem: `${file}: not valid JSON (${(err as Error).message}); retrain the run` };
  }
  const meta = (raw as { userDefinedMetadata?: { detector?: DetectorConfig } } | null)?.userDefinedMetadata;
  const config = meta?.detector;
  if (config && typeof config === 'object' && typeof config.arch === 'string') return { config };
  const layers = (raw as { modelTopology?: { class_name?: unknown } } | null)?.modelTopology?.class_name;
  const what = typeof layers === 'string' ? `a ${layers} (a classifier run?)` : 'not a detector';
  return { problem: `${dir}: the model in it is ${what}, not a detector; ${fix}` };
}

/** Loads the detector of a run folder (or of a model folder); a `DatasetError` when it is not one. */
export async function loadDetectorRun(dir: string): Promise<DetectorRun> {
  const { config, problem } = readDetectorConfig(dir);
  if (!config) throw new DatasetError(dir, (problem ?? '').replace(`${dir}: `, ''));
  const modelDir = detectorModelDir(dir);
  const detector = await loadDetector(modelDir);
  const names = config.classNames ?? [];
  const classNames = Array.from({ length: config.numClasses }, (_, k) => names[k] ?? `class ${k}`);
  return { detector, classNames, dir, modelDir };
}
