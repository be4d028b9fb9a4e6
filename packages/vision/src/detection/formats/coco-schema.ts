/**
 * COCO's JSON: the dataset file (images, annotations, categories) and the results file (a list
 * of detections), as types and as checked parsers that report every problem with its field.
 *
 *   const log = new ProblemLog();
 *   const gt = parseCocoDataset(readFileSync('instances_val.json', 'utf8'), 'instances_val.json', log);
 *   const dets = parseCocoResults(readFileSync('dets.json', 'utf8'), 'dets.json', log);
 *   log.throwIfAny('instances_val.json'); // AnnotationError listing e.g. `annotations.3.bbox: …`
 */
import type { ProblemLog } from './annotation-error.js';
import { jsonErrorPosition } from './json-position.js';

/** `[x, y, width, height]` in pixels, (x, y) the top-left corner. */
export type CocoBox = [number, number, number, number];

export interface CocoImage {
  id: number;
  file_name?: string;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
  [key: string]: unknown;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  /** The object's area (a mask's, for COCO itself); evaluation ranges use it. Default: w·h. */
  area?: number;
  /** 1 for a crowd region: matched by intersection over detection area, never a TP or FN. */
  iscrowd?: number | boolean;
  [key: string]: unknown;
}

export interface CocoDataset {
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
  info?: unknown;
  licenses?: unknown;
}

/** One detection of a results file (`loadRes` format). */
export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  score: number;
}

/** Stop checking a file after this many problems. */
const MAX_PROBLEMS = 200;

/** JSON.parse with the line and column of a syntax error. */
export function parseJsonText(text: string, file: string, log: ProblemLog): unknown {
  if (text.trim() === '') {
    log.add(file, 'empty file; expected COCO JSON');
    return undefined;
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const at = jsonErrorPosition(text);
    const near = at ? JSON.stringify(text.slice(at.offset, at.offset + 20)) : '';
    if (at) log.add(file, `malformed JSON at column ${at.column}, near ${near}`, { line: at.line });
    else log.add(file, `malformed JSON: ${(err as Error).message.slice(0, 200)}`);
    return undefined;
  }
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A field checker bound to one file; false once too many problems were found. */
function checker(file: string, log: ProblemLog) {
  const start = log.size;
  return {
    full: () => log.size - start >= MAX_PROBLEMS,
    bad: (field: string, message: string) => {
      if (log.size - start < MAX_PROBLEMS) log.add(file, message, { field });
      return false;
    },
  };
}

/** Checks `v` as a `[x, y, w, h]` box with w, h ≥ 0. */
function checkBox(v: unknown, field: string, bad: (f: string, m: string) => boolean): v is CocoBox {
  if (!Array.isArray(v) || v.length !== 4 || !v.every(isNum)) {
    return bad(field, `expected [x, y, width, height] (4 finite numbers), received ${short(v)}`);
  }
  const [, , w, h] = v as number[];
  if (w! < 0 || h! < 0) return bad(field, `negative width or height in ${short(v)}`);
  return true;
}

/** At most 60 characters of a value, for messages. */
export function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A list field of the root object, or a problem. */
function listOf(root: Rec, key: string, bad: (f: string, m: string) => boolean): unknown[] {
  const v = root[key];
  if (Array.isArray(v)) return v;
  bad(key, v === undefined ? 'required (expected a list)' : `expected a list, received ${short(v)}`);
  return [];
}

/** Unique numeric ids of a list, with a problem for each bad or repeated one. */
function idsOf(list: unknown[], key: string, c: ReturnType<typeof checker>): Set<number> {
  const ids = new Set<number>();
  list.forEach((x, i) => {
    const id = isRecord(x) ? x.id : undefined;
    if (!isRecord(x)) c.bad(`${key}.${i}`, `expected an object, received ${short(x)}`);
    else if (!isNum(id)) c.bad(`${key}.${i}.id`, `expected a number, received ${short(id)}`);
    else if (ids.has(id)) c.bad(`${key}.${i}.id`, `id ${id} appears twice; ids must be unique`);
    else ids.add(id);
  });
  return ids;
}

/** Parses and checks a COCO dataset file; problems go to `log` (the result is then partial). */
export function parseCocoDataset(text: string, file: string, log: ProblemLog): CocoDataset {
  const data = parseJsonText(text, file, log);
  const empty: CocoDataset = { images: [], annotations: [], categories: [] };
  if (data === undefined) return empty;
  const c = checker(file, log);
  if (!isRecord(data)) {
    c.bad('(root)', `expected an object with images, annotations and categories, received ${short(data)}`);
    return empty;
  }
  const images = listOf(data, 'images', c.bad);
  const annotations = listOf(data, 'annotations', c.bad);
  const categories = listOf(data, 'categories', c.bad);
  const imageIds = idsOf(images, 'images', c);
  const catIds = idsOf(categories, 'categories', c);
  categories.forEach((x, i) => {
    if (isRecord(x) && typeof x.name !== 'string')
      c.bad(`categories.${i}.name`, 'required (expected a string)');
  });
  images.forEach((x, i) => {
    if (!isRecord(x)) return;
    for (const k of ['width', 'height'] as const) {
      if (x[k] !== undefined && !(isNum(x[k]) && x[k] > 0))
        c.bad(`images.${i}.${k}`, `expected a positive number, received ${short(x[k])}`);
    }
  });
  idsOf(annotations, 'annotations', c);
  for (let i = 0; i < annotations.length && !c.full(); i++) {
    const a = annotations[i];
    if (!isRecord(a)) continue;
    const at = `annotations.${i}`;
    if (!isNum(a.image_id) || !imageIds.has(a.image_id))
      c.bad(`${at}.image_id`, `${short(a.image_id)} is not the id of an image in images`);
    if (!isNum(a.category_id) || !catIds.has(a.category_id))
      c.bad(`${at}.category_id`, `${short(a.category_id)} is not the id of a category in categories`);
    checkBox(a.bbox, `${at}.bbox`, c.bad);
    if (a.area !== undefined && !(isNum(a.area) && a.area >= 0))
      c.bad(`${at}.area`, `expected a number ≥ 0, received ${short(a.area)}`);
    if (a.iscrowd !== undefined && ![0, 1, true, false].includes(a.iscrowd as number))
      c.bad(`${at}.iscrowd`, `expected 0 or 1, received ${short(a.iscrowd)}`);
  }
  return data as unknown as CocoDataset; // checked field by field above
}

/** Parses and checks a COCO results file (a list of detections with scores). */
export function parseCocoResults(text: string, file: string, log: ProblemLog): CocoDetection[] {
  const data = parseJsonText(text, file, log);
  if (data === undefined) return [];
  const c = checker(file, log);
  if (!Array.isArray(data)) {
    c.bad('(root)', `expected a list of {image_id, category_id, bbox, score}, received ${short(data)}`);
    return [];
  }
  for (let i = 0; i < data.length && !c.full(); i++) {
    const d: unknown = data[i];
    if (!isRecord(d)) {
      c.bad(String(i), `expected {image_id, category_id, bbox, score}, received ${short(d)}`);
      continue;
    }
    for (const k of ['image_id', 'category_id', 'score'] as const) {
      if (!isNum(d[k])) c.bad(`${i}.${k}`, `expected a number, received ${short(d[k])}`);
    }
    checkBox(d.bbox, `${i}.bbox`, c.bad);
  }
  return data as CocoDetection[]; // checked element by element above
}
