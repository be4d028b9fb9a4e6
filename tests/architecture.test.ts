/**
 * The map, checked: which package may import which (tensor ← data ← domain packages ← apps, core and
 * plot below everything), TensorFlow.js only inside @dlpipe/engine, no app imported by a package, and
 * no import cycle between modules.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

/** The @dlpipe packages each package or app may import. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  plot: ['core'],
  engine: ['core'],
  tensor: ['core', 'engine'],
  data: ['core', 'plot', 'tensor'],
  scrape: ['core', 'data'],
  label: ['core', 'plot', 'tensor', 'data'],
  vision: ['core', 'plot', 'tensor', 'data'],
  nlp: ['core', 'plot', 'tensor', 'data'],
};
const PACKAGES = Object.keys(ALLOWED);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts)$/.test(name)) out.push(p);
  }
  return out;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const src = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, ''); // comments hold examples, not imports
  const out: Import[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)(\s+type)?\s[^;]*?\sfrom\s+'([^']+)'/gms)) {
    out.push({ spec: m[2]!, typeOnly: Boolean(m[1]) });
  }
  for (const m of src.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of src.matchAll(/import\('([^']+)'\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

const files = ['packages', 'apps'].flatMap((d) =>
  readdirSync(join(root, d))
    .map((p) => join(root, d, p, 'src'))
    .filter(existsSync)
    .flatMap((src) => walk(src)),
);
const owner = (file: string) => relative(root, file).split('/').slice(0, 2).join('/');

describe('the package map', () => {
  it('lists every package under packages/', () => {
    assert.deepEqual(readdirSync(join(root, 'packages')).sort(), [...PACKAGES].sort());
  });

  it('each package imports only the packages below it; apps import packages, never each other', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const [kind, name] = owner(file).split('/') as [string, string];
      const test = file.endsWith('.test.ts');
      for (const { spec } of importsOf(file)) {
        const m = /^@dlpipe\/([\w-]+)(\/.*)?$/.exec(spec);
        if (!m) continue;
        const dep = m[1]!;
        if (test && spec === '@dlpipe/engine/testing') continue;
        const ok =
          kind === 'apps'
            ? PACKAGES.includes(dep) && dep !== 'engine'
            : dep === name || (ALLOWED[name] ?? []).includes(dep) || (test && dep === 'tensor');
        if (!ok) wrong.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('only @dlpipe/engine imports TensorFlow.js', () => {
    const wrong = files
      .filter((f) => owner(f) !== 'packages/engine')
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.spec.startsWith('@tensorflow/'))
          .map((i) => `${relative(root, f)}: ${i.spec}`),
      );
    assert.deepEqual(wrong, []);
  });

  it('no module imports itself through a cycle (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const deps = importsOf(file)
        .filter((i) => !i.typeOnly && i.spec.startsWith('.'))
        .map((i) => resolve(dirname(file), i.spec.replace(/\.js$/, '.ts')))
        .filter((p) => existsSync(p));
      graph.set(file, deps);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(root, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    assert.deepEqual(cycles, []);
  });
});
