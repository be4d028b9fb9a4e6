/**
 * Emoji sprites with alpha: an SVG from an npm emoji package (OpenMoji, Twemoji) rasterized by
 * sharp (librsvg) straight at the wanted size, so edges stay crisp, then cut to its visible
 * content. `longSide` is the longer side of the drawn emoji, not of the SVG's padded canvas
 * (OpenMoji draws inside a 72-unit grid with wide margins, Twemoji fills its 36 units).
 *
 *   const sprites = new SpriteRasterizer(readSpriteCatalog().sources);
 *   const banana = await sprites.render('twemoji', '1f34c', 64);   // RGBA, longer side 64 px
 *   const turned = await transformSprite(banana, { flip: true, angle: 12 });
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DatasetError } from '../../errors.js';
import { npmPackageDir, type SpriteSource } from './catalog.js';

/** Raw RGBA pixels (not premultiplied), row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** `[x1, y1, x2, y2]` in pixel corner coordinates: x2, y2 are one past the last pixel. */
export type PixelBox = [number, number, number, number];

/** The tight box of the pixels whose alpha is above `threshold`, or null when none is. */
export function alphaBox(img: RgbaImage, threshold: number): PixelBox | null {
  let x1 = img.width;
  let y1 = img.height;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[(y * img.width + x) * 4 + 3]! > threshold) {
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        y2 = y;
      }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2 + 1, y2 + 1];
}

/** The SVG file of `codepoint` (lower-case hex, '-'-joined) in `source`, or a `DatasetError`. */
export function spriteFile(source: SpriteSource, codepoint: string): string {
  const name = source.pattern
    .replace('{CODE}', codepoint.toUpperCase())
    .replace('{code}', codepoint.toLowerCase());
  const file = join(npmPackageDir(source.npm), name);
  if (!existsSync(file)) {
    throw new DatasetError(
      file,
      `no sprite for code point ${codepoint} in ${source.npm}@${source.version}: ` +
        `expected ${source.pattern}; check the code point (e.g. '1f34c' for 🍌) and the installed version`,
    );
  }
  return file;
}

async function rasterize(svg: Buffer, side: number): Promise<RgbaImage> {
  const meta = await sharp(svg).metadata();
  const density = (72 * side) / Math.max(meta.width ?? side, meta.height ?? side);
  let p = sharp(svg, { density }).ensureAlpha();
  const out = await p.raw().toBuffer({ resolveWithObject: true });
  if (out.info.width === side && out.info.height === side) {
    return { width: side, height: side, data: new Uint8Array(out.data) };
  }
  p = sharp(out.data, { raw: { width: out.info.width, height: out.info.height, channels: 4 } });
  const r = await p.resize(side, side, { fit: 'fill' }).raw().toBuffer();
  return { width: side, height: side, data: new Uint8Array(r) };
}

/** Cuts `img` to `box`. */
export function cropRgba(img: RgbaImage, box: PixelBox): RgbaImage {
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const data = new Uint8Array(w * (y2 - y1) * 4);
  for (let y = y1; y < y2; y++) {
    data.set(img.data.subarray((y * img.width + x1) * 4, (y * img.width + x2) * 4), (y - y1) * w * 4);
  }
  return { width: w, height: y2 - y1, data };
}

/** Renders emoji sprites at any size, caching the SVG text, each sprite's content share and recent renders. */
export class SpriteRasterizer {
  private readonly sources: Map<string, SpriteSource>;
  private readonly svgs = new Map<string, Buffer>();
  private readonly content = new Map<string, Promise<number>>();
  private readonly renders = new Map<string, Promise<RgbaImage>>();

  constructor(
    sources: SpriteSource[],
    private readonly maxCached = 1000,
  ) {
    this.sources = new Map(sources.map((s) => [s.id, s]));
  }

  /** Ids of the sprite sources, in catalogue order. */
  get sourceIds(): string[] {
    return [...this.sources.keys()];
  }

  /** Reads the SVG once; throws a `DatasetError` for an unknown source or code point. */
  svg(sourceId: string, codepoint: string): Buffer {
    const key = `${sourceId}:${codepoint}`;
    let buf = this.svgs.get(key);
    if (buf) return buf;
    const source = this.sources.get(sourceId);
    if (!source) {
      throw new DatasetError(sourceId, `unknown sprite source; expected one of ${this.sourceIds.join(', ')}`);
    }
    buf = readFileSync(spriteFile(source, codepoint));
    this.svgs.set(key, buf);
    return buf;
  }

  /** The emoji's longer drawn side as a share of its SVG canvas (measured once at 256 px). */
  private contentShare(sourceId: string, codepoint: string): Promise<number> {
    const key = `${sourceId}:${codepoint}`;
    let p = this.content.get(key);
    if (!p) {
      p = rasterize(this.svg(sourceId, codepoint), 256).then((img) => {
        const b = alphaBox(img, 0);
        return b ? Math.max(b[2] - b[0], b[3] - b[1]) / 256 : 1;
      });
      this.content.set(key, p);
    }
    return p;
  }

  /** The sprite with its drawn content's longer side ≈ `longSide` px, cut to its pixels with alpha > 0. */
  async render(sourceId: string, codepoint: string, longSide: number): Promise<RgbaImage> {
    const svg = this.svg(sourceId, codepoint);
    const side = Math.max(1, Math.round(longSide / (await this.contentShare(sourceId, codepoint))));
    const key = `${sourceId}:${codepoint}:${side}`;
    let p = this.renders.get(key);
    if (!p) {
      p = rasterize(svg, side).then((img) =>
        cropRgba(img, alphaBox(img, 0) ?? [0, 0, img.width, img.height]),
      );
      if (this.renders.size >= this.maxCached)
        this.renders.delete(this.renders.keys().next().value as string);
      this.renders.set(key, p);
    }
    return p;
  }
}

/** A horizontal flip and a rotation (degrees, counter-clockwise positive) on a transparent canvas. */
export async function transformSprite(
  img: RgbaImage,
  t: { flip?: boolean; angle?: number },
): Promise<RgbaImage> {
  let out = img;
  if (t.flip) {
    const data = new Uint8Array(img.data.length);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const s = (y * img.width + x) * 4;
        data.set(img.data.subarray(s, s + 4), (y * img.width + img.width - 1 - x) * 4);
      }
    }
    out = { ...img, data };
  }
  if (!t.angle) return out;
  const r = await sharp(out.data, { raw: { width: out.width, height: out.height, channels: 4 } })
    .rotate(-t.angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: r.info.width, height: r.info.height, data: new Uint8Array(r.data) };
}
