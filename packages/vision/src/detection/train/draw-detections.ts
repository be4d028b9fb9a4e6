/**
 * Boxes drawn on images with sharp: each detection as a rectangle in its class's tab10 colour
 * with "name score" on a filled tag, ground-truth boxes (optional) dashed in white; and a grid of
 * such images (`detections.png` of a training run).
 *
 *   const png = await drawDetections({ data, width: 640, height: 480 }, dets, { classNames: ['banana'] });
 *   const grid = await detectionGrid([png, png2], { columns: 4 });
 */
import { escapeXml, TAB10 } from '@dlpipe/plot';
import sharp, { type OverlayOptions } from 'sharp';
import { DetectionError } from '../boxes/errors.js';
import type { Detection } from '../model/detector.js';
import type { RgbImage } from '../synth/paste.js';

export interface DrawDetectionsOptions {
  classNames?: readonly string[];
  /** Drawn dashed in white (normalized corners, as detections). */
  groundTruth?: readonly Pick<Detection, 'box' | 'classId'>[];
  /** Output side(s) in pixels: the image is scaled to it before drawing. Default: its own size. */
  size?: [number, number];
}

/** "name 0.93" for a detection. */
export function detectionLabel(d: Detection, classNames: readonly string[] = []): string {
  return `${classNames[d.classId] ?? `class ${d.classId}`} ${d.score.toFixed(2)}`;
}

/** The SVG overlay of `dets` on a `w` × `h` picture. */
function overlaySvg(w: number, h: number, dets: readonly Detection[], o: DrawDetectionsOptions): string {
  const stroke = Math.max(2, Math.round(Math.min(w, h) / 160));
  const font = Math.max(10, Math.round(Math.min(w, h) / 28));
  const px = (b: readonly number[]) => {
    const [x1, y1, x2, y2] = b.map((v, i) => Math.min(1, Math.max(0, v)) * (i % 2 === 0 ? w : h));
    return { x: x1!, y: y1!, bw: Math.max(1, x2! - x1!), bh: Math.max(1, y2! - y1!) };
  };
  const parts: string[] = [];
  for (const g of o.groundTruth ?? []) {
    const { x, y, bw, bh } = px(g.box);
    parts.push(
      `<rect x="${x}" y="${y}" width="${bw}" height="${bh}" fill="none" stroke="#ffffff" stroke-width="${stroke}" stroke-dasharray="${stroke * 3},${stroke * 2}"/>`,
    );
  }
  // lowest score first, so the best boxes and tags end on top
  for (const d of [...dets].sort((a, b) => a.score - b.score)) {
    const { x, y, bw, bh } = px(d.box);
    const color = TAB10[d.classId % TAB10.length]!;
    const text = escapeXml(detectionLabel(d, o.classNames));
    const tagW = Math.ceil(text.length * font * 0.62) + 6;
    const tagH = font + 4;
    const tagY = y - tagH >= 0 ? y - tagH : y;
    const tagX = Math.min(x, Math.max(0, w - tagW));
    parts.push(
      `<rect x="${x}" y="${y}" width="${bw}" height="${bh}" fill="none" stroke="${color}" stroke-width="${stroke}"/>`,
      `<rect x="${tagX}" y="${tagY}" width="${tagW}" height="${tagH}" fill="${color}"/>`,
      `<text x="${tagX + 3}" y="${tagY + font}" font-family="DejaVu Sans" font-size="${font}" fill="#ffffff">${text}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

/** `image` with `dets` drawn, as PNG bytes. */
export async function drawDetections(
  image: RgbImage,
  dets: readonly Detection[],
  o: DrawDetectionsOptions = {},
): Promise<Buffer> {
  const [w, h] = o.size ?? [image.width, image.height];
  let base = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (w !== image.width || h !== image.height) base = base.resize(w, h, { fit: 'fill' });
  const scaled = await base.png().toBuffer();
  return sharp(scaled)
    .composite([{ input: Buffer.from(overlaySvg(w, h, dets, o)), left: 0, top: 0 }])
    .png()
    .toBuffer();
}

export interface DetectionGridOptions {
  /** Tiles per row. Default 4. */
  columns?: number;
  /** Pixels between tiles. Default 4. */
  gap?: number;
}

/** PNG tiles of one size side by side, as one PNG. */
export async function detectionGrid(tiles: readonly Buffer[], o: DetectionGridOptions = {}): Promise<Buffer> {
  if (tiles.length === 0) throw new DetectionError('detectionGrid: no images to draw');
  const first = await sharp(tiles[0]).metadata();
  const tw = first.width ?? 1;
  const th = first.height ?? 1;
  const cols = Math.min(o.columns ?? 4, tiles.length);
  const gap = o.gap ?? 4;
  const rows = Math.ceil(tiles.length / cols);
  const composites: OverlayOptions[] = tiles.map((input, i) => ({
    input,
    left: gap + (i % cols) * (tw + gap),
    top: gap + Math.floor(i / cols) * (th + gap),
  }));
  const width = cols * (tw + gap) + gap;
  const height = rows * (th + gap) + gap;
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toBuffer();
}
