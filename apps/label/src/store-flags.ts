/**
 * What `dlpipe-label` commands share: the --store flag, declared once, and `withLabelStore`, which
 * opens the store for one piece of work and always closes it.
 *
 *   flags: { store: storeFlag, … }
 *   return withLabelStore(store, (s) => ({ lines: [`${s.stats().items} items`] }));
 */
import { type LabelStore, openLabelStore } from '@dlpipe/label';
import { z } from 'zod';

/** --store FILE: the SQLite label store. */
export const storeFlag = z
  .string()
  .meta({ placeholder: 'FILE', description: 'the label store (SQLite; required)' });

/** Opens the store at `path`, runs `work` with it and closes it, also when `work` throws. */
export async function withLabelStore<T>(
  path: string,
  work: (store: LabelStore) => T | Promise<T>,
): Promise<T> {
  const store = openLabelStore(path);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
