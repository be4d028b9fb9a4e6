/**
 * The `--help` text of a command, written from its declared fields: synopsis, description,
 * arguments, options with their defaults and choices, examples.
 *
 *   usage: pnpm data head <file> [options]
 *
 *   Prints the first rows of a table.
 *
 *   options:
 *     -n, --n N        rows to print (default: 10)
 */
import type { FieldInfo } from './fields.js';

interface HelpSpec {
  summary: string;
  description?: string;
  examples?: string[];
  json?: boolean;
}

function defaultText(f: FieldInfo): string {
  if (!f.hasDefault || f.defaultValue === undefined || f.defaultValue === false) return '';
  const v = f.defaultValue;
  if (Array.isArray(v) && v.length === 0) return '';
  return ` (default: ${Array.isArray(v) ? v.join(',') : String(v)})`;
}

/** ' (required)' for a flag that must be given, unless its description says so already. */
function requiredText(f: FieldInfo): string {
  return f.optional || f.kind === 'boolean' || /\brequired\b/.test(f.description) ? '' : ' (required)';
}

function flagLabel(f: FieldInfo): string {
  const value = f.kind === 'boolean' ? '' : ` ${f.placeholder}`;
  const short = f.short ? `-${f.short}, ` : '    ';
  return `${short}${f.flag}${value}${f.multiple ? ' …' : ''}`;
}

function table(rows: [string, string][]): string {
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows
    .map(([l, r]) =>
      l.length + 2 > width && r ? `  ${l}\n  ${' '.repeat(width)}${r}` : `  ${l.padEnd(width)}${r}`,
    )
    .join('\n');
}

function argLabel(a: FieldInfo): string {
  const name = `<${a.key}>${a.multiple ? '…' : ''}`;
  return a.optional ? `[${name}]` : name;
}

/** The whole help text of `pnpm <app> <name>`. */
export function commandHelp(
  app: string,
  name: string,
  spec: HelpSpec,
  args: FieldInfo[],
  flags: FieldInfo[],
): string {
  const synopsis = [name ? `pnpm ${app} ${name}` : `pnpm ${app}`, ...args.map(argLabel)];
  if (flags.length || spec.json) synopsis.push('[options]');
  const parts = [
    `usage: ${synopsis.join(' ')}`,
    spec.description ?? `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
  ];
  const described = args.filter((a) => a.description);
  if (described.length) {
    parts.push(
      `arguments:\n${table(described.map((a) => [`<${a.key}>`, `${a.description}${defaultText(a)}`]))}`,
    );
  }
  const rows: [string, string][] = flags.map((f) => [
    flagLabel(f),
    `${f.description}${defaultText(f)}${requiredText(f)}`,
  ]);
  if (spec.json) rows.push(['    --json', 'print the result as JSON']);
  rows.push(['-h, --help', 'print this help']);
  parts.push(`options:\n${table(rows)}`);
  if (spec.examples?.length) parts.push(`examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  return parts.join('\n\n');
}

/** The table of an app's commands. */
export function appUsage(app: string, commands: Record<string, { summary: string }>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  const rows = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}${c.summary}`);
  return `usage: pnpm ${app} <command> [options]   (pnpm ${app} <command> --help)\n\ncommands:\n${rows.join('\n')}`;
}
