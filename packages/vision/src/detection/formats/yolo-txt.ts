/**
 * YOLO (Ultralytics) ↔ `DetectionSet`: `images/…` with `labels/…` mirroring it, one `.txt` per
 * image, a line `class cx cy w h` per box (normalized to [0, 1]), and the class names in
 * `classes.txt` or `data.yaml`'s `names`. Sizes come from the image files. Crowd boxes are not
 * written (YOLO has no crowd; Ultralytics' COCO converter skips them too).
 *
 *   const set = await readYoloDetections('data/yolo');
 *   writeYoloLabels(set, 'out/yolo'); // labels/*.txt, classes.txt, data.yaml
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { checkInputDir } from '@dlpipe/core';
import { ProblemLog } from './annotation-error.js';
import { checkDetectionSet, type DetectionImage, type DetectionSet } from './detection-set.js';
import { imageSize, listImages } from './image-files.js';

/** `names:` of a data.yaml: a flow list, a block list or an index map. */
export function yamlNames(text: string): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^names\s*:/.test(l));
  if (at < 0) return undefined;
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');
  const inline = lines[at]!.replace(/^names\s*:/, '').trim();
  if (inline.startsWith('['))
    return inline
      .replace(/^\[|\]\s*(#.*)?$/g, '')
      .split(',')
      .map(unquote)
      .filter(Boolean);
  const names: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!/^\s+\S/.test(l)) break;
    const m = /^\s+(?:-\s*(.*)|(\d+)\s*:\s*(.*))$/.exec(l);
    if (!m) break;
    if (m[1] !== undefined) names.push(unquote(m[1]));
    else names[Number(m[2])] = unquote(m[3]!);
  }
  return names;
}

/** Class names from classes.txt (the root's or labels/'s) or data.yaml / dataset.yaml. */
function readClassNames(root: string, log: ProblemLog): string[] {
  for (const f of ['classes.txt', 'labels/classes.txt']) {
    if (existsSync(join(root, f)))
      return readFileSync(join(root, f), 'utf8')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
  }
  for (const f of ['data.yaml', 'dataset.yaml']) {
    if (!existsSync(join(root, f))) continue;
    const names = yamlNames(readFileSync(join(root, f), 'utf8'));
    if (names) return names;
    log.add(f, 'no names: list');
  }
  log.add(root, 'no class names: expected classes.txt (one per line) or data.yaml with names');
  return [];
}

/** labels/<image path without extension>.txt */
export function yoloLabelPath(file: string): string {
  return `labels/${file.replace(/\.[^./]+$/, '')}.txt`;
}

/** One label file's boxes; bad lines are logged by line number. */
function readLabels(text: string, file: string, im: DetectionImage, log: ProblemLog, lines: number[]): void {
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.trim();
    if (!l) return;
    const f = l.split(/\s+/);
    const v = f.map(Number);
    if (f.length !== 5 || !v.every(Number.isFinite)) {
      log.add(file, `expected 'class cx cy w h' (5 numbers), received ${JSON.stringify(l.slice(0, 60))}`, {
        line: i + 1,
      });
      return;
    }
    const [c, cx, cy, w, h] = v as [number, number, number, number, number];
    const [W, H] = [im.width, im.height];
    im.boxes.push({
      x1: (cx - w / 2) * W,
      y1: (cy - h / 2) * H,
      x2: (cx + w / 2) * W,
      y2: (cy + h / 2) * H,
      classId: c,
    });
    lines.push(i + 1);
  });
}

/** Reads a YOLO dataset folder; an `AnnotationError` lists every problem of every file. */
export async function readYoloDetections(root: string): Promise<DetectionSet> {
  checkInputDir(root, 'YOLO dataset folder');
  const log = new ProblemLog();
  if (!existsSync(join(root, 'images'))) log.add(root, 'no images/ folder; expected images/ and labels/');
  const classNames = readClassNames(root, log);
  log.throwIfAny(root);
  const files = listImages(join(root, 'images'));
  const set: DetectionSet = { classNames, images: [] };
  const lineOf: number[][] = [];
  for (const file of files) {
    const source = join(root, 'images', file);
    const size = await imageSize(source).catch((err: Error) => {
      log.add(`images/${file}`, err.message.replace(`${source}: `, ''));
      return { width: 0, height: 0 };
    });
    const im: DetectionImage = { file, ...size, boxes: [], source };
    const label = yoloLabelPath(file);
    const lines: number[] = [];
    if (existsSync(join(root, label)))
      readLabels(readFileSync(join(root, label), 'utf8'), label, im, log, lines);
    set.images.push(im);
    lineOf.push(lines);
  }
  const labelled = new Set(files.map(yoloLabelPath));
  for (const label of listLabels(join(root, 'labels'))) {
    if (!labelled.has(label)) log.add(label, 'missing image file: no image under images/ with this name');
  }
  checkDetectionSet(set, log, (i, b) => ({ file: yoloLabelPath(set.images[i]!.file), line: lineOf[i]![b] }));
  log.throwIfAny(root);
  return set;
}

/** `labels/…/*.txt` (classes.txt excepted), as `labels/<rel>`. */
function listLabels(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.txt') && !(d === dir && e.name === 'classes.txt'))
        out.push(`labels/${relative(dir, p).split('\\').join('/')}`);
    }
  };
  walk(dir);
  return out;
}

const n6 = (v: number) => String(Math.round(v * 1e6) / 1e6);

/** One image's label file text (crowd boxes left out). */
export function yoloLabelText(im: DetectionImage): string {
  return im.boxes
    .filter((b) => !b.iscrowd)
    .map((b) => {
      const [W, H] = [im.width, im.height];
      return `${b.classId} ${n6((b.x1 + b.x2) / 2 / W)} ${n6((b.y1 + b.y2) / 2 / H)} ${n6((b.x2 - b.x1) / W)} ${n6((b.y2 - b.y1) / H)}\n`;
    })
    .join('');
}

/** Writes labels/*.txt, classes.txt and data.yaml into `root` (images are copied by `writeDetections`). */
export function writeYoloLabels(set: DetectionSet, root: string): void {
  for (const im of set.images) {
    const p = join(root, yoloLabelPath(im.file));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, yoloLabelText(im));
  }
  writeFileSync(join(root, 'classes.txt'), set.classNames.map((n) => `${n}\n`).join(''));
  const names = set.classNames.map((n) => `  - ${JSON.stringify(n)}\n`).join('');
  writeFileSync(
    join(root, 'data.yaml'),
    `path: .\ntrain: images\nval: images\nnc: ${set.classNames.length}\nnames:\n${names}`,
  );
}
