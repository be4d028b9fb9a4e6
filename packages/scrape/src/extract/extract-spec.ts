/**
 * Extraction specs: CSS selectors → named fields (text, attributes, HTML, numbers, lists and
 * tables), one record per page or per matching item, optionally only on matching URLs.
 *
 *   const spec: ExtractSpec = {
 *     match: '/products/*', items: '.product',
 *     fields: { name: 'h2', price: { selector: '.price', type: 'number' }, tags: { selector: '.tag', all: true },
 *               link: { selector: 'a', attr: 'href' }, specs: { selector: 'table', table: true } },
 *   };
 */
import { z } from 'zod';
import type { UrlPattern } from '../url/url-filter.js';

/** One field in full form; also the normalized field spec the page script reads. */
export interface ResolvedField {
  /** Relative to the item (or the document); default the item itself. */
  selector?: string;
  /** An attribute instead of the text; `href`/`src` come back as absolute URLs. */
  attr?: string;
  /** The inner HTML instead of the text. */
  html?: boolean;
  /** Every match, as a list (default: the first, or null). */
  all?: boolean;
  /** A `<table>` as rows: objects keyed by its header cells, or arrays when it has none. */
  table?: boolean;
  /** Convert the text: 'number' reads `$1,299.50` as 1299.5 (null if none). Default 'string'. */
  type?: 'string' | 'number' | 'boolean';
  /** Drop the record when this field is missing or empty. Default false. */
  required?: boolean;
}

/** One field: a selector (its text) or the full form. */
export type FieldSpec = string | ResolvedField;

/** A CSS extractor. */
export interface ExtractSpec {
  /** Run only on pages whose URL matches (globs or `{ regex }`, as in `include`). Default: every page. */
  match?: UrlPattern | UrlPattern[];
  /** One record per element matching this selector; default one record per page. */
  items?: string;
  /** Wait for this selector first (content rendered by JS), on the pages this extractor matches. */
  waitFor?: string;
  fields: Record<string, FieldSpec>;
}

export const urlPatternSchema = z.union([
  z.string().min(1),
  z.strictObject({
    regex: z.string().min(1),
    flags: z
      .string()
      .regex(/^[dgimsuvy]*$/)
      .optional(),
  }),
]);

const fieldSchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      selector: z.string().min(1).optional(),
      attr: z.string().min(1).optional(),
      html: z.boolean().optional(),
      all: z.boolean().optional(),
      table: z.boolean().optional(),
      type: z.enum(['string', 'number', 'boolean']).optional(),
      required: z.boolean().optional(),
    })
    .refine((f) => [f.attr !== undefined, f.html === true, f.table === true].filter(Boolean).length <= 1, {
      message: 'give at most one of attr, html and table',
    }),
]);

/** Field names the crawler sets itself. */
export const RESERVED_FIELDS: readonly string[] = ['url', 'screenshot'];

export const extractSpecSchema = z.strictObject({
  match: z.union([urlPatternSchema, z.array(urlPatternSchema)]).optional(),
  items: z.string().min(1).optional(),
  waitFor: z.string().min(1).optional(),
  fields: z
    .record(
      z
        .string()
        .min(1)
        .refine((name) => !RESERVED_FIELDS.includes(name), {
          error: (i) =>
            `'${String(i.input)}' is set by the crawler (${RESERVED_FIELDS.join(', ')}); rename the field`,
        }),
      fieldSchema,
    )
    .refine((f) => Object.keys(f).length > 0, { message: 'give at least one field' }),
});

/** Field shorthands expanded (`'h2'` → `{ selector: 'h2' }`). */
export function resolveFields(fields: Record<string, FieldSpec>): Record<string, ResolvedField> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, f]) => [k, typeof f === 'string' ? { selector: f } : f]),
  );
}
