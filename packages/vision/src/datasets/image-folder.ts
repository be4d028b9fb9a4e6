/**
 * ImageFolder: one sub-folder per class (`root/<class>/<image>`), classes sorted by name, as
 * torchvision's `datasets.ImageFolder`. Files without an image extension are ignored.
 *
 *   const train = imageFolder('data/hotdog/train'); // classNames ['hotdog', 'not-hotdog']
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { IMAGE_EXTENSIONS, type ImageSet } from './types.js';

export interface ImageFolderOptions {
  /** Accepted extensions (lower case, with dot). Default IMAGE_EXTENSIONS. */
  extensions?: string[];
  /** Use these class names (and order) instead of the sorted sub-folders, e.g. the train set's for a test set. */
  classNames?: string[];
}

function listFiles(dir: string, ext: Set<string>): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (ext.has(extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

export function imageFolder(root: string, options: ImageFolderOptions = {}): ImageSet {
  let dirs: string[];
  try {
    dirs = readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory())
      .sort();
  } catch (err) {
    throw new DatasetError(root, `cannot read the folder: ${(err as Error).message}`, { cause: err });
  }
  const classNames = options.classNames ?? dirs;
  if (classNames.length === 0) {
    throw new DatasetError(
      root,
      'no class sub-folders: expected root/<class>/<image> (the ImageFolder layout)',
    );
  }
  const ext = new Set(options.extensions ?? IMAGE_EXTENSIONS);
  const samples = classNames.flatMap((name, label) => {
    if (!dirs.includes(name))
      throw new DatasetError(root, `class '${name}' has no sub-folder; found [${dirs}]`);
    return listFiles(join(root, name), ext).map((path) => ({ path, label }));
  });
  if (samples.length === 0) {
    throw new DatasetError(
      root,
      `no images with extensions ${[...ext].join(' ')} in ${classNames.length} class folders`,
    );
  }
  return { source: root, classNames, samples };
}
