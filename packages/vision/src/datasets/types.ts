/**
 * The shape of a file-backed image classification set: image paths with integer labels and the
 * class names they index (torchvision's `ImageFolder.samples` / `.classes`).
 *
 *   const set: ImageSet = imageFolder('data/hotdog/train'); set.samples[0]; // { path, label: 0 }
 */

export interface ImageSample {
  /** Absolute or cwd-relative path of the image file. */
  path: string;
  /** Index into `classNames`, or -1 when unlabeled (e.g. a scraped manifest for `predict`). */
  label: number;
  /** Where it came from, for scraped images. */
  sourceUrl?: string;
}

export interface ImageSet {
  /** Where the set was read from (folder or manifest). */
  source: string;
  classNames: string[];
  samples: ImageSample[];
}

/** Extensions torchvision's ImageFolder accepts (plus .avif). */
export const IMAGE_EXTENSIONS = [
  '.jpg',
  '.jpeg',
  '.png',
  '.ppm',
  '.bmp',
  '.pgm',
  '.tif',
  '.tiff',
  '.webp',
  '.gif',
  '.avif',
];
