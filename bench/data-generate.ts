/**
 * The benchmark table of `pnpm bench data`: a seeded CSV of mixed columns (ints, floats, a
 * category, short text, a bool, a date; ~110 bytes a row), streamed to disk with bounded memory.
 *
 *   await generateCsv('/tmp/t.csv', 100e6);  // ≈ 100 MB
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Rng } from '@dlpipe/core';

const CITIES = [
  'Paris',
  'Berlin',
  'Rome',
  'Madrid',
  'Vienna',
  'Prague',
  'Lisbon',
  'Dublin',
  'Oslo',
  'Athens',
];
const WORDS = [
  'deep',
  'learning',
  'table',
  'feather',
  'arrow',
  'tensor',
  'label',
  'model',
  'data',
  'csv',
  'zip',
];

/** One CSV line. */
function row(i: number, rng: Rng): string {
  const words = Array.from({ length: 3 + rng.int(4) }, () => WORDS[rng.int(WORDS.length)]).join(' ');
  const day = new Date(Date.UTC(2020, 0, 1) + rng.int(1500) * 86_400_000).toISOString().slice(0, 10);
  const x = rng.normal().toFixed(6);
  const y = (rng.next() * 1000).toFixed(3);
  const missing = rng.next() < 0.02 ? '' : (rng.next() * 100).toFixed(2);
  return `${i},${x},${y},${missing},${CITIES[rng.int(CITIES.length)]},"${words}, ${i % 7}",${rng.next() < 0.5},${day}\n`;
}

export const HEADER = 'id,x,y,z,city,text,flag,day\n';

/** Writes about `bytes` bytes of CSV; returns the rows written. */
export async function generateCsv(path: string, bytes: number, seed = 0): Promise<number> {
  const rng = new Rng(seed);
  const out = createWriteStream(path);
  out.write(HEADER);
  let written = HEADER.length;
  let rows = 0;
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 2000; k++) chunk += row(rows++, rng);
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
