/**
 * Pascal VOC ↔ `DetectionSet`: `Annotations/*.xml` (one per image: filename, size, objects with
 * name, difficult and a 1-based inclusive `bndbox`) beside `JPEGImages/`. Corners are
 * x1 = xmin − 1, x2 = xmax (as detectron2 reads VOC); sizes missing from a file are read from the
 * image. Class ids follow `classNames` when given, else the sorted names found (VOC's own order).
 *
 *   const set = await readVocDetections('VOC2012');
 *   await writeVocDetections(set, 'out/voc'); // Annotations/ + JPEGImages/ (copied)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputDir } from '@dlpipe/core';
import { ProblemLog } from './annotation-error.js';
import { checkDetectionSet, type DetectionBox, type DetectionSet } from './detection-set.js';
import { imageSize } from './image-files.js';
import { child, childText, escapeXmlText, parseXml, type XmlElement, XmlSyntaxError } from './xml.js';

export interface ReadVocOptions {
  /** Class names in id order (default: every name found, sorted). */
  classNames?: string[];
}

interface VocObject {
  name: string;
  box: Omit<DetectionBox, 'classId'>;
  line: number;
  field: string;
}

/** The number in `<el><name>`, or a logged problem. */
function num(el: XmlElement | undefined, name: string, file: string, field: string, log: ProblemLog): number {
  const t = childText(el, name);
  const v = t === undefined || t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(v))
    log.add(file, t === undefined ? 'missing' : `expected a number, received ${JSON.stringify(t)}`, {
      line: child(el, name)?.line ?? el?.line,
      field: `${field}.${name}`,
    });
  return v;
}

/** One annotation file: its image, size (0 when missing) and objects. */
function readVocFile(path: string, file: string, log: ProblemLog) {
  let root: XmlElement;
  try {
    root = parseXml(readFileSync(path, 'utf8'));
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    log.add(file, `malformed XML: ${err.message}`, { line: err.line });
    return undefined;
  }
  const filename = childText(root, 'filename');
  if (!filename) log.add(file, 'missing <filename>', { line: root.line, field: 'filename' });
  const size = child(root, 'size');
  const dim = (k: string) => Number(childText(size, k) ?? 0) || 0;
  const objects: VocObject[] = [];
  root.children
    .filter((c) => c.name === 'object')
    .forEach((o, i) => {
      const field = `object[${i + 1}]`;
      const name = childText(o, 'name');
      if (!name) log.add(file, 'missing <name>', { line: o.line, field: `${field}.name` });
      const bb = child(o, 'bndbox');
      if (!bb) log.add(file, 'missing <bndbox>', { line: o.line, field: `${field}.bndbox` });
      const f = `${field}.bndbox`;
      const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) =>
        bb ? num(bb, k, file, f, log) : 0,
      );
      const difficult = childText(o, 'difficult') === '1';
      const box = { x1: xmin! - 1, y1: ymin! - 1, x2: xmax!, y2: ymax!, ...(difficult ? { difficult } : {}) };
      objects.push({ name: name ?? '', box, line: bb?.line ?? o.line, field: f });
    });
  return { filename: filename ?? '', width: dim('width'), height: dim('height'), objects };
}

/** Reads a VOC dataset folder; an `AnnotationError` lists every problem of every file. */
export async function readVocDetections(root: string, options: ReadVocOptions = {}): Promise<DetectionSet> {
  checkInputDir(root, 'VOC dataset folder');
  const annDir = join(root, 'Annotations');
  const imgDir = join(root, 'JPEGImages');
  const log = new ProblemLog();
  if (!existsSync(annDir))
    log.add(root, 'no Annotations/ folder; expected Annotations/*.xml and JPEGImages/');
  log.throwIfAny(root);
  const files = readdirSync(annDir)
    .filter((f) => f.endsWith('.xml'))
    .sort();
  const parsed = files.map((f) => ({
    file: `Annotations/${f}`,
    r: readVocFile(join(annDir, f), `Annotations/${f}`, log),
  }));
  const found = [...new Set(parsed.flatMap((p) => p.r?.objects.map((o) => o.name) ?? []))]
    .filter(Boolean)
    .sort();
  const classNames = options.classNames ?? found;
  const classOf = new Map(classNames.map((n, k) => [n, k]));
  const set: DetectionSet = { classNames, images: [] };
  const origins: { file: string; line: number; field: string }[][] = [];
  for (const { file, r } of parsed) {
    if (!r?.filename) continue;
    const source = join(imgDir, r.filename);
    let { width, height } = r;
    if (!(width > 0 && height > 0)) {
      if (!existsSync(source)) {
        log.add(file, `no <size> and missing image file JPEGImages/${r.filename}`, { field: 'size' });
        continue;
      }
      ({ width, height } = await imageSize(source));
    }
    for (const o of r.objects) {
      if (o.name && !classOf.has(o.name))
        log.add(file, `unknown class '${o.name}' (classes: ${classNames.join(', ')})`, {
          line: o.line,
          field: o.field,
        });
    }
    const finite = (o: VocObject) => [o.box.x1, o.box.y1, o.box.x2, o.box.y2].every(Number.isFinite); // else logged
    const objs = r.objects.filter((o) => classOf.has(o.name) && finite(o));
    set.images.push({
      file: r.filename,
      width,
      height,
      source,
      boxes: objs.map((o) => ({ ...o.box, classId: classOf.get(o.name)! })),
    });
    origins.push(objs.map((o) => ({ file, line: o.line, field: o.field })));
  }
  checkDetectionSet(set, log, (i, b) => origins[i]![b]!);
  log.throwIfAny(root);
  return set;
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

/** One image's annotation XML (crowd boxes are written as difficult: VOC has no crowds). */
export function vocXml(set: DetectionSet, i: number): string {
  const im = set.images[i]!;
  const obj = im.boxes.map(
    (b) => `  <object>
    <name>${escapeXmlText(set.classNames[b.classId] ?? String(b.classId))}</name>
    <pose>Unspecified</pose>
    <truncated>0</truncated>
    <difficult>${b.difficult || b.iscrowd ? 1 : 0}</difficult>
    <bndbox>
      <xmin>${fmt(b.x1 + 1)}</xmin>
      <ymin>${fmt(b.y1 + 1)}</ymin>
      <xmax>${fmt(b.x2)}</xmax>
      <ymax>${fmt(b.y2)}</ymax>
    </bndbox>
  </object>
`,
  );
  return `<annotation>
  <folder>JPEGImages</folder>
  <filename>${escapeXmlText(im.file)}</filename>
  <size>
    <width>${im.width}</width>
    <height>${im.height}</height>
    <depth>3</depth>
  </size>
  <segmented>0</segmented>
${obj.join('')}</annotation>
`;
}

/** The annotation file name of an image: its path with '/' → '_' and `.xml`. */
export function vocAnnotationName(file: string): string {
  return `${file.replace(/\.[^./]+$/, '').replace(/\//g, '_')}.xml`;
}

/** Writes Annotations/*.xml into `root` (images are copied by `writeDetections`). */
export function writeVocAnnotations(set: DetectionSet, root: string): void {
  mkdirSync(join(root, 'Annotations'), { recursive: true });
  set.images.forEach((im, i) => {
    writeFileSync(join(root, 'Annotations', vocAnnotationName(im.file)), vocXml(set, i));
  });
}
