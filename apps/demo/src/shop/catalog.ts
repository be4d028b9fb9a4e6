/**
 * The demo shop's catalog: 1,500 clothing products (by default) whose photos are Fashion-MNIST test images,
 * generated deterministically from a seed. The site shows a product's category on only a few
 * pages (`labeledShare`, 5%, the same number per class); the true category of every product stays here,
 * for scoring (`truth`), never on the site. Titles are free text: mostly neutral, some naming the
 * item, some naming the wrong one (bundles, marketing copy), so they cannot stand in for labels.
 *
 *   const cat = buildCatalog(loadMnistFormat('fashion-mnist').test, { seed: 42 });
 *   cat.products.length; // 1500
 *   cat.products[0];     // { sku: 'FS-7K2Q9D', title: 'Studio essential No. 318', shownCategory: null, … }
 */
import { Rng } from '@dlpipe/core';
import type { ImageSplit } from '@dlpipe/data';

/** The ten Fashion-MNIST classes as the shop names them. */
export const SHOP_CATEGORIES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Merchandising collections: how the shop pages its catalog (unrelated to the category). */
export const SHOP_COLLECTIONS = [
  'new-arrivals',
  'bestsellers',
  'essentials',
  'autumn-edit',
  'spring-edit',
  'weekend',
  'studio',
  'outlet',
] as const;

/** Words that name each category in titles (index = class). */
const CATEGORY_WORDS: readonly (readonly string[])[] = [
  ['tee', 'crew-neck top', 'cotton T-shirt'],
  ['trousers', 'chinos', 'slim slacks'],
  ['knit pullover', 'sweater', 'jumper'],
  ['midi dress', 'wrap dress', 'summer dress'],
  ['parka', 'wool coat', 'overcoat'],
  ['sandals', 'slides', 'strappy sandals'],
  ['button-down shirt', 'oxford shirt', 'flannel shirt'],
  ['sneakers', 'trainers', 'runners'],
  ['tote bag', 'shoulder bag', 'backpack'],
  ['Chelsea boots', 'ankle boots', 'lace-up boots'],
];
const NEUTRAL = ['Studio essential', 'Everyday piece', 'The weekend one', 'Signature item', 'Limited drop'];
const ADJECTIVES = ['Relaxed', 'Classic', 'Organic', 'Recycled', 'Heritage', 'Lightweight', 'Soft'];
const SKU_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export type ImageDefect = 'none' | 'missing' | 'corrupt';
export type TitleKind = 'neutral' | 'true' | 'misleading';

export interface Product {
  sku: string;
  title: string;
  titleKind: TitleKind;
  price: number;
  collection: (typeof SHOP_COLLECTIONS)[number];
  /** The category shown on the page, or null (most products). */
  shownCategory: string | null;
  /** Index of the photo in the Fashion-MNIST test split. */
  imageIndex: number;
  /** The photo's file name on the site (a hash: it tells nothing of the category). */
  photo: string;
  /** 'missing' answers 404, 'corrupt' sends truncated PNG bytes. */
  defect: ImageDefect;
  /** The true class (index into SHOP_CATEGORIES): for scoring only, never on the site. */
  truth: number;
  /** A dye colour for the photo, [r, g, b]. */
  dye: [number, number, number];
  reviews: Array<{ author: string; stars: number; text: string }>;
}

export interface CatalogOptions {
  /** Products. Default 1500. */
  size?: number;
  /** Share of products whose page shows the category, the same number per class. Default 0.05. */
  labeledShare?: number;
  /** Share of titles naming the wrong item. Default 0.15. */
  misleadingShare?: number;
  /** Share of titles naming the right item. Default 0.35. */
  trueShare?: number;
  /** Photos that answer 404, and that are truncated. Default 8 and 4. */
  missingImages?: number;
  corruptImages?: number;
  seed?: number;
}

export interface Catalog {
  products: Product[];
  categories: readonly string[];
  seed: number;
}

function sku(rng: Rng): string {
  let s = 'FS-';
  for (let i = 0; i < 6; i++) s += SKU_CHARS[rng.int(SKU_CHARS.length)];
  return s;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

function title(rng: Rng, cls: number, kind: TitleKind, n: number): string {
  if (kind === 'neutral') return `${pick(rng, NEUTRAL)} No. ${100 + n}`;
  const other = (cls + 1 + rng.int(SHOP_CATEGORIES.length - 1)) % SHOP_CATEGORIES.length;
  const word = pick(rng, CATEGORY_WORDS[kind === 'true' ? cls : other]!);
  return `${pick(rng, ADJECTIVES)} ${word}`;
}

function hue(rng: Rng): [number, number, number] {
  const h = rng.next() * 6;
  const s = 0.35 + 0.45 * rng.next();
  const v = 0.35 + 0.4 * rng.next();
  const f = h - Math.floor(h);
  const [p, q, t] = [v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))];
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][Math.floor(h) % 6]!;
  return rgb.map((c) => Math.round(c * 255)) as [number, number, number];
}

const REVIEW_TEXTS = [
  'Fits as expected.',
  'Colour is a little darker than in the photo.',
  'Good quality for the price.',
  'Arrived quickly, well packed.',
  'Runs small, order a size up.',
  'Would buy again.',
];
const AUTHORS = ['Ana', 'Ben', 'Chloé', 'Dev', 'Eun-ji', 'Farah', 'Goran', 'Hana'];

/** The catalog for `seed`: products drawn from `test` (Fashion-MNIST's test split). */
export function buildCatalog(test: ImageSplit, options: CatalogOptions = {}): Catalog {
  const seed = options.seed ?? 42;
  const size = Math.min(options.size ?? 1500, test.n);
  const rng = new Rng(seed);
  const indices = Array.from(rng.permutation(test.n).subarray(0, size));
  const perClass = Math.max(1, Math.round((size * (options.labeledShare ?? 0.05)) / SHOP_CATEGORIES.length));
  const shownLeft = new Array<number>(SHOP_CATEGORIES.length).fill(perClass);
  const misleading = options.misleadingShare ?? 0.15;
  const trueShare = options.trueShare ?? 0.35;
  const skus = new Set<string>();
  const products = indices.map((imageIndex, n): Product => {
    const truth = test.labels[imageIndex]!;
    let s = sku(rng);
    while (skus.has(s)) s = sku(rng);
    skus.add(s);
    const u = rng.next();
    const titleKind: TitleKind =
      u < misleading ? 'misleading' : u < misleading + trueShare ? 'true' : 'neutral';
    const shown = shownLeft[truth]! > 0;
    if (shown) shownLeft[truth]!--;
    return {
      sku: s,
      title: title(rng, truth, titleKind, n),
      titleKind,
      price: Math.round((9 + rng.next() * 140) * 100) / 100,
      collection: pick(rng, SHOP_COLLECTIONS),
      shownCategory: shown ? SHOP_CATEGORIES[truth]! : null,
      imageIndex,
      photo: `${(rng.nextUint32() >>> 0).toString(16).padStart(8, '0')}${n.toString(16)}.png`,
      defect: 'none',
      truth,
      dye: hue(rng),
      reviews: Array.from({ length: rng.int(4) }, () => ({
        author: pick(rng, AUTHORS),
        stars: 1 + rng.int(5),
        text: pick(rng, REVIEW_TEXTS),
      })),
    };
  });
  // Broken photos only on unlabeled products, so every shown category stays usable.
  const unlabeled = products.filter((p) => p.shownCategory === null);
  const broken = rng.shuffle(unlabeled.slice()) as Product[];
  const missing = options.missingImages ?? 8;
  const corrupt = options.corruptImages ?? 4;
  broken.slice(0, missing).forEach((p) => {
    p.defect = 'missing';
  });
  broken.slice(missing, missing + corrupt).forEach((p) => {
    p.defect = 'corrupt';
  });
  return { products, categories: SHOP_CATEGORIES, seed };
}
