/**
 * The review queue of the label step as a person works through it: `review.csv` (least confident
 * pseudo-labels first: sku, file, label, confidence, iteration) and `review.png`, a contact sheet of
 * the same photos captioned with the pseudo-label and its confidence.
 *
 *   await writeReviewSheet('runs/demo/label', queue.map((r) => ({ ...r, file })));
 */
import { join } from 'node:path';
import type { LabelRecord } from '@dlpipe/label';
import { tf } from '@dlpipe/tensor';
import { readImage, writeImageGrid } from '@dlpipe/vision';
import { writeCsvRows } from './csv-rows.js';

export interface ReviewEntry extends LabelRecord {
  file: string;
}

export async function writeReviewSheet(
  dir: string,
  queue: ReviewEntry[],
): Promise<{ csv: string; files: string[] }> {
  const csv = join(dir, 'review.csv');
  await writeCsvRows(
    csv,
    ['sku', 'file', 'label', 'confidence', 'iteration'],
    queue.map((r) => [
      r.itemId,
      r.file,
      r.label,
      r.confidence === null ? null : r.confidence.toFixed(4),
      r.iteration,
    ]),
  );

  if (queue.length === 0) return { csv, files: [csv] };
  const images = await Promise.all(queue.map((r) => readImage(r.file, { channels: 3 })));
  const batch = tf.stack(images) as tf.Tensor4D;
  tf.dispose(images);
  const png = join(dir, 'review.png');
  try {
    await writeImageGrid(batch, png, {
      columns: 8,
      captions: queue.map((r) => `${r.label} ${(r.confidence ?? 0).toFixed(3)}`),
    });
  } finally {
    batch.dispose();
  }
  return { csv, files: [csv, png] };
}
