/**
 * SQLite rows as the store's objects: snake_case columns become camelCase fields and NULL becomes
 * undefined, typed from the row interface so a mismatch with the record type fails to compile.
 *
 *   fromRow({ loaded_url: null, http_status: 200 })  // { loadedUrl: undefined, httpStatus: 200 }
 */

/** `last_error` → `lastError`. */
type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** A row type with camelCase keys and NULL columns as `| undefined`. */
export type FromRow<R> = {
  [K in keyof R as CamelCase<K & string>]: null extends R[K] ? Exclude<R[K], null> | undefined : R[K];
};

/** `last_error` → `lastError`. */
function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** One row with camelCase keys, NULL as undefined. */
export function fromRow<R extends object>(row: R): FromRow<R> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camelCase(k)] = v ?? undefined;
  // built key by key from the row, which FromRow<R> describes; TypeScript cannot follow the renaming
  return out as FromRow<R>;
}
