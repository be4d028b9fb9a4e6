/**
 * `generateDetectionSet`: writes a detection set of sprites pasted on real photos in COCO and
 * YOLO layouts, deterministic under a seed (each image draws from its own `Rng`, seeded from the
 * set's seed, the split and its index, so the same seed gives byte-identical files):
 *
 *   out/<name>/images/{train,val}/000000.jpg …   labels/{train,val}/000000.txt …
 *   out/<name>/annotations/{train,val}.json       data.yaml   README.md (attribution)
 *
 * The set is written into a temporary sibling folder and renamed at the end, so an interrupted
 * run leaves no half set. Bananas (1,100 images) takes seconds, emoji-10 (5,500) a few minutes.
 *
 *   await generateDetectionSet({ name: 'bananas', out: 'datasets', seed: 0 });
 *   await generateDetectionSet({ name: 'emoji-10', out: 'datasets', trainSize: 100, valSize: 10,
 *     backgrounds: 'npm', progress: (done, total) => console.log(done, total) });
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, OptionsError, Rng, zodMessage } from '@dlpipe/core';
import sharp from 'sharp';
import { z } from 'zod';
import { DatasetError } from '../../errors.js';
import { type BackgroundChoice, loadBackgrounds } from './backgrounds.js';
import { readSpriteCatalog } from './catalog.js';
import { sampleScene } from './scene.js';
import { type SynthImageRecord, synthCocoJson, synthDataYaml, synthYoloLabels } from './set-files.js';
import { setReadme } from './set-readme.js';
import { type DetectionSetSpec, type DetectionSetSpecInput, resolveSetSpec } from './set-specs.js';
import { SpriteRasterizer } from './sprites.js';

export type DetectionSplit = 'train' | 'val';

export interface GenerateDetectionSetOptions {
  /** A built-in set ('bananas', 'emoji-10') or a custom spec. */
  name: string | DetectionSetSpecInput;
  /** The parent folder: the set goes to `out/<name>/`. */
  out: string;
  /** Default 0. */
  seed?: number;
  /** Override the spec's sizes. */
  trainSize?: number;
  valSize?: number;
  imageSize?: number;
  /** Background photos: 'all' (Debian + npm, default), 'npm' (no Debian package needed) or a list. */
  backgrounds?: BackgroundChoice;
  /** Replace an existing `out/<name>/`. Default false (an existing non-empty folder is refused). */
  overwrite?: boolean;
  /** Images in flight at once. Default 4. */
  concurrency?: number;
  /** Called after each image with (done, total). */
  progress?: (done: number, total: number) => void;
}

const optionsSchema = z.object({
  out: z.string().min(1),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  overwrite: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(64).default(4),
});

export interface GeneratedSetSummary {
  dir: string;
  spec: DetectionSetSpec;
  seed: number;
  counts: Record<DetectionSplit, { images: number; objects: number; dropped: number }>;
  seconds: number;
}

/** FNV-1a of a string, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 32-bit seed for image `index` of `split` of set `name`, mixed from the set's seed (splitmix32 steps). */
export function imageSeed(seed: number, name: string, split: DetectionSplit, index: number): number {
  let z = (seed ^ fnv1a(`${name}/${split}`) ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

async function encode(img: { width: number; height: number; data: Uint8Array }, spec: DetectionSetSpec) {
  const p = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
  return spec.format === 'png' ? p.png().toBuffer() : p.jpeg({ quality: spec.jpegQuality }).toBuffer();
}

/** Runs `work(i)` for i in [0, n) with at most `limit` in flight; results in index order. */
async function pool<T>(n: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return out;
}

interface SplitContext {
  spec: DetectionSetSpec;
  seed: number;
  dir: string;
  photos: Awaited<ReturnType<typeof loadBackgrounds>>;
  sprites: SpriteRasterizer;
  concurrency: number;
  tick: () => void;
}

async function writeSplit(split: DetectionSplit, n: number, c: SplitContext) {
  await mkdir(join(c.dir, 'images', split), { recursive: true });
  await mkdir(join(c.dir, 'labels', split), { recursive: true });
  let dropped = 0;
  const records = await pool(n, c.concurrency, async (i): Promise<SynthImageRecord> => {
    const scene = await sampleScene(
      new Rng(imageSeed(c.seed, c.spec.name, split, i)),
      c.spec,
      c.photos,
      c.sprites,
    );
    const stem = String(i).padStart(6, '0');
    const rec: SynthImageRecord = {
      id: i + 1,
      fileName: `${stem}.${c.spec.format}`,
      width: scene.image.width,
      height: scene.image.height,
      objects: scene.objects.flatMap((o) =>
        o.kept && o.box ? [{ classId: o.classId, box: o.box, visible: o.visible }] : [],
      ),
      background: scene.crop,
    };
    dropped += scene.objects.length - rec.objects.length;
    await writeFile(join(c.dir, 'images', split, rec.fileName), await encode(scene.image, c.spec));
    await writeFile(join(c.dir, 'labels', split, `${stem}.txt`), synthYoloLabels(rec));
    c.tick();
    return rec;
  });
  const names = c.spec.classes.map((k) => k.name);
  await writeFile(join(c.dir, 'annotations', `${split}.json`), synthCocoJson(records, names, c.spec.name));
  return { images: n, objects: records.reduce((s, r) => s + r.objects.length, 0), dropped };
}

function checkTarget(dir: string, overwrite: boolean): void {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !overwrite) {
    throw new DatasetError(
      dir,
      'already exists and is not empty: pass overwrite: true (--overwrite) to replace it, or another out',
    );
  }
}

/** Generates a detection set into `out/<name>/` (see the file header). */
export async function generateDetectionSet(
  options: GenerateDetectionSetOptions,
): Promise<GeneratedSetSummary> {
  const t0 = performance.now();
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('generateDetectionSet', parsed.error));
  const { out, seed, overwrite, concurrency } = parsed.data;
  const spec = resolveSetSpec(options.name, options);
  const dir = join(out, spec.name);
  checkTarget(dir, overwrite);
  const catalog = readSpriteCatalog().sources;
  const spriteSources = spec.spriteSources.map(
    (id) =>
      catalog.find((s) => s.id === id) ??
      (() => {
        throw new OptionsError(
          `detection set '${spec.name}': unknown sprite source '${id}'; expected ${catalog.map((s) => s.id).join(', ')}`,
        );
      })(),
  );
  const sprites = new SpriteRasterizer(spriteSources);
  for (const s of spriteSources) for (const k of spec.classes) sprites.svg(s.id, k.codepoint); // fail early
  const photos = await loadBackgrounds(options.backgrounds ?? 'all');
  ensureDir(out);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'annotations'), { recursive: true });
  try {
    let done = 0;
    const total = spec.trainSize + spec.valSize;
    const ctx = {
      spec,
      seed,
      dir: tmp,
      photos,
      sprites,
      concurrency,
      tick: () => options.progress?.(++done, total),
    };
    const counts = {
      train: await writeSplit('train', spec.trainSize, ctx),
      val: await writeSplit('val', spec.valSize, ctx),
    };
    await writeFile(join(tmp, 'data.yaml'), synthDataYaml(spec.classes.map((k) => k.name)));
    const facts = { seed, photos: photos.map((p) => p.photo), sprites: spriteSources, counts };
    await writeFile(join(tmp, 'README.md'), setReadme(spec, facts));
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return { dir, spec, seed, counts, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
