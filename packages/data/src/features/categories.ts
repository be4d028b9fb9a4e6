/**
 * Category bookkeeping shared by the encoders: a column's values as category keys (strings; numbers
 * via String), sorted like numpy's `unique` (numerically for number columns), missing last.
 *
 *   categoriesOf(table, 'color')   // ['blue', 'red', null]
 */
import type { Table } from '../table/table.js';

/** A category: the text of a value, or null for missing. */
export type Category = string | null;

/** Each row's category key. */
export function categoryKeys(table: Table, name: string): Category[] {
  const col = table.column(name);
  if (col.dtype === 'date')
    return Array.from(col.data, (v) => (Number.isNaN(v) ? null : new Date(v).toISOString()));
  return table.strings(name);
}

/** Sorted distinct categories of a column (numbers numerically), null last if present. */
export function categoriesOf(table: Table, name: string): Category[] {
  const keys = categoryKeys(table, name);
  const distinct = [...new Set(keys.filter((k): k is string => k !== null))];
  const dtype = table.column(name).dtype;
  if (dtype === 'float' || dtype === 'int') distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort();
  return keys.includes(null) ? [...distinct, null] : distinct;
}

/** Key → index map (null keyed as the empty-key sentinel). */
export function indexOf(categories: Category[]): Map<Category, number> {
  return new Map(categories.map((c, i) => [c, i]));
}
