/**
 * The hashing trick, as scikit-learn's `FeatureHasher` (input_type 'dict'): each string cell
 * becomes the feature "column=value" with value 1, each number cell the feature "column" with
 * its value; murmurhash3 (32-bit, seed 0) picks the output column and, with `alternateSign`,
 * the sign. Stateless; no inverse (hashing forgets).
 *
 *   new HashingEncoder({ columns: ['city'], nFeatures: 16 }).fitTransform(t)  // hash_0..hash_15
 */
import { OptionsError } from '@dlpipe/core';
import type { Table } from '../table/table.js';
import { StatelessTransformer } from '../transforms/stateless-transformer.js';
import { categoryKeys } from './categories.js';

/** MurmurHash3 x86 32-bit of UTF-8 bytes, as a signed int32 (scikit-learn's murmurhash3_32 positive=False). */
export function murmurhash3(key: string | Uint8Array, seed = 0): number {
  const data = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const n = data.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = n & 3;
  if (tail === 3) k ^= data[blocks + 2]! << 16;
  if (tail >= 2) k ^= data[blocks + 1]! << 8;
  if (tail >= 1) {
    k ^= data[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Column index and sign of a feature name, exactly as scikit-learn's _hashing_fast. */
export function hashFeature(
  name: string,
  nFeatures: number,
  alternateSign = true,
): { index: number; sign: number } {
  const h = murmurhash3(name);
  const index = h === -2147483648 ? (2147483647 - (nFeatures - 1)) % nFeatures : Math.abs(h) % nFeatures;
  return { index, sign: alternateSign && h < 0 ? -1 : 1 };
}

export interface HashingEncoderOptions {
  /** Columns hashed together into one block. Default: every string column. */
  columns?: string[];
  /** Output width. Default 2^10 (scikit-learn's is 2^20, too wide for dense tables). */
  nFeatures?: number;
  /** Signs from the hash so collisions cancel on average. Default true. */
  alternateSign?: boolean;
  /** Output column prefix. Default 'hash_'. */
  prefix?: string;
}

export class HashingEncoder extends StatelessTransformer<HashingEncoderOptions> {
  readonly kind = 'HashingEncoder';
  constructor(readonly config: HashingEncoderOptions = {}) {
    super(['text']);
    const n = config.nFeatures ?? 1024;
    if (!(Number.isInteger(n) && n >= 1))
      throw new OptionsError(`HashingEncoder nFeatures must be an integer >= 1, got ${n}`);
  }

  transform(table: Table): Table {
    const columns = this.columnsIn(table);
    const n = this.config.nFeatures ?? 1024;
    const out = Array.from({ length: n }, () => new Float64Array(table.nRows));
    const add = (name: string, value: number, i: number) => {
      const { index, sign } = hashFeature(name, n, this.config.alternateSign !== false);
      out[index]![i]! += sign * value;
    };
    for (const c of columns) {
      const col = table.column(c);
      if (col.dtype === 'float' || col.dtype === 'int') {
        col.data.forEach((v, i) => {
          if (!Number.isNaN(v) && v !== 0) add(c, v, i);
        });
      } else {
        categoryKeys(table, c).forEach((v, i) => {
          if (v !== null) add(`${c}=${v}`, 1, i);
        });
      }
    }
    const prefix = this.config.prefix ?? 'hash_';
    return table
      .drop(columns)
      .withColumns(out.map((data, k) => ({ name: `${prefix}${k}`, dtype: 'float', data })));
  }
}
