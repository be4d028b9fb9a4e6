/**
 * Backgrounds from real photos: each image of a set gets a random square crop (a random share of
 * the photo's shorter side, at a random place, mirrored half the time) of a random photo, resized
 * to the set's size. ~35 photos × crop sizes × positions × flips give as many distinct
 * backgrounds as images; the crop is drawn from the image's own seeded `Rng`.
 *
 *   const photos = await loadBackgrounds('npm');          // the six @stdlib photos (always installed)
 *   const bg = await randomBackground(photos, new Rng(1), { size: 256 });
 *   bg.image;   // RGB, 256 × 256; bg.crop says which photo and where
 */
import { existsSync } from 'node:fs';
import type { Rng } from '@dlpipe/core';
import sharp from 'sharp';
import { DatasetError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { type BackgroundPhoto, readBackgroundCatalog, resolvePhotoPath } from './catalog.js';
import type { RgbImage } from './paste.js';

/** 'all' photos of the catalogue, only the 'npm' ones (no Debian package needed), or a list. */
export type BackgroundChoice = 'all' | 'npm' | BackgroundPhoto[];

/** A decoded background photo. */
export interface LoadedPhoto {
  photo: BackgroundPhoto;
  image: RgbImage;
}

export interface BackgroundCropOptions {
  /** Output side in pixels. */
  size: number;
  /** Smallest crop side as a share of the photo's shorter side. Default 0.3. */
  minCrop?: number;
  /** Mirror half of the crops. Default true. */
  flip?: boolean;
}

/** Where a background came from: photo id, crop [x, y, side] in the photo, and the mirror. */
export interface BackgroundCrop {
  photo: string;
  x: number;
  y: number;
  side: number;
  flip: boolean;
}

/** The photos of a choice, in catalogue order. */
export function backgroundPhotos(choice: BackgroundChoice): BackgroundPhoto[] {
  if (Array.isArray(choice)) return choice;
  const all = readBackgroundCatalog().photos;
  return choice === 'npm' ? all.filter((p) => p.npm !== undefined) : all;
}

/** Throws one `DatasetError` listing every missing photo and the packages that would bring them. */
function checkPhotosExist(photos: BackgroundPhoto[]): string[] {
  const paths = photos.map((p) => (p.npm === undefined ? p.path : resolvePhotoPath(p)));
  const missing = photos.filter((_, i) => !existsSync(paths[i]!));
  if (missing.length > 0) {
    const apt = [...new Set(missing.map((p) => p.apt).filter((a) => a !== undefined))];
    const fix =
      apt.length > 0 ? `install them with \`apt-get install -y ${apt.join(' ')}\`` : 'run `pnpm install`';
    throw new DatasetError(
      missing[0]!.path,
      `${missing.length} of ${photos.length} background photos are missing (${missing
        .slice(0, 4)
        .map((p) => p.id)
        .join(
          ', ',
        )}${missing.length > 4 ? ', …' : ''}): ${fix}, or use backgrounds: 'npm' (the @stdlib photos only)`,
    );
  }
  return paths;
}

/** Decodes the photos of a choice to RGB (gray photos replicated), failing early on missing files. */
export async function loadBackgrounds(choice: BackgroundChoice): Promise<LoadedPhoto[]> {
  const photos = backgroundPhotos(choice);
  if (photos.length === 0) throw new DatasetError(String(choice), 'no background photos to choose from');
  const paths = checkPhotosExist(photos);
  return Promise.all(
    photos.map(async (photo, i) => {
      const d = await decodeImage(paths[i]!, { channels: 3 });
      return { photo, image: { width: d.width, height: d.height, data: d.data as Uint8Array } };
    }),
  );
}

/** Draws a photo and a crop from `rng` (four draws, always, so later draws do not depend on the photo). */
export function drawCrop(photos: LoadedPhoto[], rng: Rng, o: BackgroundCropOptions): BackgroundCrop {
  const minCrop = o.minCrop ?? 0.3;
  const p = photos[rng.int(photos.length)]!;
  const short = Math.min(p.image.width, p.image.height);
  const side = Math.max(1, Math.round(short * (minCrop + (1 - minCrop) * rng.next())));
  const x = rng.int(p.image.width - side + 1);
  const y = rng.int(p.image.height - side + 1);
  const flip = rng.next() < 0.5 && o.flip !== false;
  return { photo: p.photo.id, x, y, side, flip };
}

/** A random background: the crop drawn from `rng`, resized to `size` × `size` by sharp. */
export async function randomBackground(
  photos: LoadedPhoto[],
  rng: Rng,
  o: BackgroundCropOptions,
): Promise<{ image: RgbImage; crop: BackgroundCrop }> {
  const crop = drawCrop(photos, rng, o);
  const src = photos.find((p) => p.photo.id === crop.photo)!.image;
  let p = sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
    .extract({ left: crop.x, top: crop.y, width: crop.side, height: crop.side })
    .resize(o.size, o.size, { fit: 'fill' });
  if (crop.flip) p = p.flop();
  const data = await p.raw().toBuffer();
  return { image: { width: o.size, height: o.size, data: new Uint8Array(data) }, crop };
}
