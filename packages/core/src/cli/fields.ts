/**
 * What a CLI needs to know about one zod field: its flag name, whether it takes a value, repeats,
 * its default, choices and description. Read from the schema itself, so a flag is declared once.
 *
 *   fieldInfo('maxPages', z.coerce.number().int().positive().optional().describe('stop after N pages'))
 *   // → { flag: '--max-pages', kind: 'string', placeholder: 'N', description: 'stop after N pages', … }
 */
import { z } from 'zod';

/** Metadata a field may carry (`.meta({ placeholder: 'DIR', short: 'o' })`, `.describe(…)`). */
export interface FieldMeta {
  description?: string;
  /** The value's name in the help text, e.g. DIR (default: N for numbers, the choices, or VALUE). */
  placeholder?: string;
  /** A one-letter alias: `-n`. */
  short?: string;
  /** The flag's name when it is not the key in kebab-case (e.g. 'C' for scikit-learn's `--C`). */
  flag?: string;
}

export interface FieldInfo {
  key: string;
  /** `--max-pages` for the key `maxPages`. */
  flag: string;
  kind: 'boolean' | 'string';
  multiple: boolean;
  optional: boolean;
  hasDefault: boolean;
  defaultValue?: unknown;
  choices?: string[];
  placeholder: string;
  description: string;
  short?: string;
}

/** `maxPages` → `max-pages`; a key that starts with a capital (`C`) keeps it. */
export function kebabCase(key: string): string {
  return key.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The parts of zod's definition objects read here (zod 4's `schema.def`). */
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

function defOf(s: z.ZodType): Def {
  return s.def as Def;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Describes one field of a command's flags or arguments. */
export function fieldInfo(key: string, schema: z.ZodType): FieldInfo {
  const meta: FieldMeta = {};
  let cur = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const m = z.globalRegistry.get(cur) as FieldMeta | undefined;
    for (const k of ['description', 'placeholder', 'short', 'flag'] as const) {
      if (m?.[k] !== undefined && meta[k] === undefined) meta[k] = m[k];
    }
    const d = defOf(cur);
    if (d.type === 'default' || d.type === 'prefault') {
      hasDefault = true;
      defaultValue = d.defaultValue;
    }
    if (d.type === 'optional') optional = true;
    if (WRAPPERS.has(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  let d = defOf(cur);
  const multiple = d.type === 'array';
  if (multiple && d.element) {
    cur = d.element;
    d = defOf(cur);
    while (WRAPPERS.has(d.type) && d.innerType) d = defOf(d.innerType);
  }
  const choices = d.type === 'enum' && d.entries ? Object.values(d.entries).map(String) : undefined;
  const literal = d.type === 'literal' && d.values ? d.values.map(String) : undefined;
  const kind = d.type === 'boolean' ? 'boolean' : 'string';
  const placeholder =
    meta.placeholder ??
    (choices ?? literal)?.join('|') ??
    (d.type === 'number' || d.type === 'int' || d.type === 'bigint' ? 'N' : 'VALUE');
  const info: FieldInfo = {
    key,
    flag: `--${meta.flag ?? kebabCase(key)}`,
    kind,
    multiple,
    optional: optional || hasDefault || multiple,
    hasDefault,
    placeholder,
    description: meta.description ?? '',
  };
  if (hasDefault) info.defaultValue = defaultValue;
  if (choices ?? literal) info.choices = choices ?? literal;
  if (meta.short) info.short = meta.short;
  return info;
}

/** The fields of a shape, in declaration order. */
export function fieldsOf(shape: z.ZodRawShape): FieldInfo[] {
  return Object.entries(shape).map(([k, s]) => fieldInfo(k, s as z.ZodType));
}
