/**
 * An image set from one path, decided in one place: a folder (the ImageFolder layout), a CSV or
 * JSONL manifest, and, for sets that need no labels (prediction), a folder of loose images or a
 * single image file.
 *
 *   readImageSet('data/hotdog/train');                 // ImageFolder: root/<class>/<image>
 *   readImageSet('photos/', { unlabeled: true });      // loose images too, labels -1
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { imageFolder } from './image-folder.js';
import { readManifest } from './manifest.js';
import { IMAGE_EXTENSIONS, type ImageSet } from './types.js';

export interface ReadImageSetOptions {
  /** Fix the class order (e.g. the training set's for a test set). Default: from the set itself. */
  classNames?: string[] | undefined;
  /** Accept sets without labels (label -1): loose images in a folder, one image file. Default false. */
  unlabeled?: boolean;
}

const MANIFEST = /\.(jsonl|csv)$/i;

function isImage(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

function hasSubfolders(dir: string): boolean {
  return readdirSync(dir).some((d) => statSync(join(dir, d)).isDirectory());
}

/** The images directly in `dir`, unlabeled. */
function looseImages(dir: string): ImageSet {
  const paths = readdirSync(dir)
    .sort()
    .map((f) => join(dir, f))
    .filter((p) => isImage(p) && statSync(p).isFile());
  if (paths.length === 0) throw new DatasetError(dir, 'no images and no class sub-folders in this folder');
  return { source: dir, classNames: [], samples: paths.map((path) => ({ path, label: -1 })) };
}

/** Reads a folder, a manifest or (unlabeled) an image file as an ImageSet. */
export function readImageSet(path: string, options: ReadImageSetOptions = {}): ImageSet {
  const { classNames, unlabeled = false } = options;
  if (!existsSync(path)) {
    const what = unlabeled ? 'image, folder or manifest' : 'folder or manifest';
    throw new DatasetError(path, `no such ${what}; check the path`);
  }
  if (statSync(path).isDirectory()) {
    return unlabeled && !hasSubfolders(path) ? looseImages(path) : imageFolder(path, { classNames });
  }
  if (unlabeled && !MANIFEST.test(path)) {
    if (!isImage(path)) {
      throw new DatasetError(
        path,
        `expected an image (${IMAGE_EXTENSIONS.join(' ')}), a folder or a .csv/.jsonl manifest`,
      );
    }
    return { source: path, classNames: [], samples: [{ path, label: -1 }] };
  }
  return readManifest(path, { classNames, ...(unlabeled ? { missingLabel: 'none' as const } : {}) });
}
