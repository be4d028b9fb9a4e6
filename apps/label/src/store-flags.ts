/**
 * What `dlpipe-label` commands share: the --store flag, declared once, and `withLabelStore`, which
 * opens the store for one piece of work and always closes it. Reading commands open it
 * read-only, so a mistyped path is an error naming it, never a new empty store.
 *
 *   flags: { store: storeFlag, … }
 *   return withLabelStore(store, (s) => ({ lines: [`${s.stats().items} items`] }), { readonly: true });
 */
import { type LabelStore, type LabelStoreOptions, openLabelStore } from '@dlpipe/label';
import { z } from 'zod';

/** --store FILE: the SQLite label store. */
export const storeFlag = z
  .string()
  .meta({ placeholder: 'FILE', description: 'the label store (SQLite; required)' });

/** Opens the store at `path`, runs `work` with it and closes it, also when `work` throws. */
export async function withLabelStore<T>(
  path: string,
  work: (store: LabelStore) => T | Promise<T>,
  options: LabelStoreOptions = {},
): Promise<T> {
  const store = openLabelStore(path, options);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
