/**
 * Every command of every app, read from the apps themselves: `dlpipe-<app> --help` gives the
 * command table, `<command> --help` its arguments and flags (the help text the CLI framework
 * writes from each command's declared fields), so a new command or flag is covered without
 * touching the matrix.
 *
 *   const commands = await discoverCommands(root); // [{ app: 'data', name: 'convert', params: […] }, …]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type Role = 'inputFile' | 'inputDir' | 'outputFile' | 'outputDir' | 'number' | 'other';

export interface Param {
  /** `--data` for a flag, `<in>` for a positional. */
  label: string;
  positional: boolean;
  placeholder: string;
  description: string;
  required: boolean;
  variadic: boolean;
  role: Role;
}

export interface CommandInfo {
  app: string;
  /** '' for a single-command app (`pnpm demo`). */
  name: string;
  bin: string;
  params: Param[];
}

/** Runs a bin with args; stdout, stderr and the exit status. */
export function run(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; timedOut: boolean }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

const NUMERIC = /^(N|P|MS|N\|all|N\|none)$/;
const OUTPUT_NAMES = /^--(out|out-dir|runs|storage|cache-dir|plot)$|^<out>$/;

/** What a parameter reads or writes, from its name, placeholder and description. */
export function roleOf(label: string, placeholder: string, description: string): Role {
  if (NUMERIC.test(placeholder)) return 'number';
  const path = /FILE|DIR|FOLDER|MANIFEST/.test(placeholder) || /^<(in|out|file|path|job)>$/.test(label);
  if (!path) return 'other';
  const dir = /DIR/.test(placeholder) && !/FILE|MANIFEST/.test(placeholder);
  if (OUTPUT_NAMES.test(label) || /\b(to write|write|written)\b/.test(description)) {
    return dir || /^--(out-dir|runs|storage|cache-dir)$/.test(label) ? 'outputDir' : 'outputFile';
  }
  return dir ? 'inputDir' : 'inputFile';
}

/** Parses the help text the CLI framework writes (see packages/core/src/cli/help.ts). */
export function parseHelp(help: string): Param[] {
  const params: Param[] = [];
  const synopsis = /^usage: pnpm \S+(?: [a-z][\w-]*)?((?: (?:\[?<[\w-]+>…?\]?))*)/m.exec(help)?.[1] ?? '';
  const descOf = (label: string) =>
    new RegExp(`^  ${label.replace(/[-[\]]/g, '\\$&')} +(.*)$`, 'm').exec(help)?.[1] ?? '';
  for (const m of synopsis.matchAll(/(\[)?<([\w-]+)>(…)?\]?/g)) {
    const label = `<${m[2]}>`;
    const description = descOf(label);
    params.push({
      label,
      positional: true,
      placeholder: '',
      description,
      required: !m[1],
      variadic: Boolean(m[3]),
      role: roleOf(label, '', description),
    });
  }
  const options = help.slice(help.indexOf('\noptions:\n'));
  const lines = options.split('\n');
  lines.forEach((line, i) => {
    const m = /^ {2}(?:-\w, | {4})(--[\w-]+)(?: (\S+))?( …)?(?: {2,}(.*))?$/.exec(line);
    if (!m || m[1] === '--help' || m[1] === '--json') return;
    const description = (m[4] ?? lines[i + 1]?.trim() ?? '').trim();
    const placeholder = m[2] ?? '';
    params.push({
      label: m[1]!,
      positional: false,
      placeholder,
      description,
      required: /\(required\)|; required\)/.test(description),
      variadic: Boolean(m[3]),
      role: placeholder ? roleOf(m[1]!, placeholder, description) : 'other',
    });
  });
  return params;
}

/** Every app's bin under apps/, and each command with its parameters. */
export async function discoverCommands(root: string): Promise<CommandInfo[]> {
  const apps = readdirSync(join(root, 'apps')).filter((a) => existsSync(join(root, 'apps', a, 'bin')));
  const out: CommandInfo[] = [];
  await Promise.all(
    apps.map(async (dir) => {
      const binName = readdirSync(join(root, 'apps', dir, 'bin'))[0]!;
      const bin = join(root, 'apps', dir, 'bin', binName);
      const app = binName.replace(/^dlpipe-/, '').replace(/\.mjs$/, '');
      const top = await run(bin, ['--help']);
      const table = top.stdout.split('\ncommands:\n')[1];
      const names = table
        ? table
            .split('\n')
            .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
            .filter((n) => n)
        : [''];
      for (const name of names as string[]) {
        const h = await run(bin, name ? [name, '--help'] : ['--help']);
        out.push({ app, name, bin, params: parseHelp(h.stdout) });
      }
    }),
  );
  return out.sort((a, b) => `${a.app} ${a.name}`.localeCompare(`${b.app} ${b.name}`));
}
