#!/usr/bin/env node
/**
 * Builds each app's CLI to plain JS, so `pnpm <app>` starts without transpiling TypeScript:
 * apps/<app>/src/cli.ts → apps/<app>/dist/cli.js, one esbuild bundle per app (ESM, code
 * splitting: every lazily imported command is its own chunk, so `--help` loads no TensorFlow.js).
 *
 *   pnpm build               # every app
 *   pnpm build vision nlp    # some apps
 *
 * What goes in: the app and the workspace packages (@dlpipe/*) it imports, from their sources.
 * What stays out: every npm package. A bundle lives elsewhere than its sources, so two things
 * are rewritten to keep pointing where the sources point:
 * - an npm import is resolved from the importing source file (pnpm gives each package its own
 *   node_modules) and written into the bundle as a relative path to that file;
 * - `import.meta.url` in a source file becomes that source file's URL, computed from the
 *   bundle's own URL, so paths relative to it (the engine's native addon, data folders,
 *   fixtures, `createRequire(import.meta.url)`) resolve as they do from the sources.
 * Every output file lies directly in dist/ (no subfolders), so one relative path serves every
 * chunk. dist/build-stamp.json lists each bundled source with its mtime at build time: the bins
 * (scripts/cli-launcher.mjs) run dist/cli.js only while every listed file still has that mtime.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const APPS = ['data', 'scrape', 'label', 'vision', 'nlp', 'demo'];
export const STAMP_FILE = 'build-stamp.json';
/** Files outside the bundle whose change makes a build stale (npm paths, build settings). */
const EXTRA_INPUTS = ['pnpm-lock.yaml', 'scripts/build.mjs'];
const BUILTINS = new Set(builtinModules);

const toPosix = (p) => p.split(sep).join('/');

/** `to` relative to `from`, as a specifier: './x', '../y'. */
function relativeSpecifier(from, to) {
  const rel = toPosix(relative(from, to));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The esbuild plugin that keeps npm packages external (resolved from the importing file) and
 * source files' `import.meta.url` pointing at the source file.
 */
function sourceLayoutPlugin(outdir) {
  return {
    name: 'dlpipe-source-layout',
    setup(build) {
      // TypeScript's rule, as in tsx: './x.js' from a .ts file means ./x.ts where that exists
      // (esbuild would take a real ./x.js beside it, e.g. scrape's page-script.js).
      build.onResolve({ filter: /^\.\.?\/.*\.m?js$/ }, (args) => {
        if (!/\.m?ts$/.test(args.importer)) return undefined;
        const ts = join(args.resolveDir, args.path.replace(/js$/, 'ts'));
        return existsSync(ts) ? { path: ts } : undefined;
      });
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const name = args.path.startsWith('@')
          ? args.path.split('/').slice(0, 2).join('/')
          : args.path.split('/')[0];
        if (args.path.startsWith('node:') || BUILTINS.has(name)) return { external: true };
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (found.errors.length > 0) {
          // An optional package that is not installed (e.g. @tensorflow/tfjs-node) is looked up
          // at run time as before; a static import of a missing package is a build error.
          if (args.kind === 'dynamic-import' || args.kind === 'require-call') {
            return { path: args.path, external: true };
          }
          return { errors: found.errors };
        }
        if (!found.path.split(sep).includes('node_modules')) return { path: found.path };
        return { path: relativeSpecifier(outdir, found.path), external: true };
      });
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.')) return undefined;
        if (/\bimport\.meta\.(dirname|filename)\b/.test(text)) {
          return {
            errors: [
              {
                text: `${relative(ROOT, args.path)}: use import.meta.url (the build keeps it pointing here)`,
              },
            ],
          };
        }
        const url = `new URL(${JSON.stringify(relativeSpecifier(outdir, args.path))}, import.meta.url).href`;
        const ext = extname(args.path);
        return {
          contents: text.replace(/\bimport\.meta\.url\b/g, url),
          loader: ext.includes('t') && ext !== '.mjs' && ext !== '.cjs' ? 'ts' : 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/** The mtime of each file (root-relative paths), `undefined` for a missing one. */
export function mtimes(files) {
  return Object.fromEntries(
    files.map((f) => {
      try {
        return [f, statSync(join(ROOT, f)).mtimeMs];
      } catch {
        return [f, undefined];
      }
    }),
  );
}

/**
 * esbuild's settings for a CLI bundle: `entryPoints` ({ name: file }) into `outdir`, with its
 * paths written for `finalDir` (where it will be run from: a sibling of `outdir`, or itself).
 */
export function bundleOptions(entryPoints, outdir, finalDir = outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node's own choices when it resolves a package: no "module" condition or field.
    conditions: [],
    mainFields: ['main'],
    sourcemap: 'linked',
    legalComments: 'none',
    // Class names stay as written (errors take theirs from new.target.name).
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLayoutPlugin(finalDir)],
  };
}

/**
 * Bundles one app into `outdir` (default apps/<app>/dist) and writes its build stamp. The new
 * build is written beside it and swapped in whole, so a CLI starting meanwhile finds the old
 * build, the new one or none (then tsx), never half of one.
 */
export async function buildApp(app, { outdir = join(ROOT, 'apps', app, 'dist') } = {}) {
  const esbuild = await import('esbuild');
  const entry = join(ROOT, 'apps', app, 'src', 'cli.ts');
  if (!existsSync(entry)) throw new Error(`no app '${app}': ${entry} is missing; apps: ${APPS.join(', ')}`);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    const next = `${outdir}.next-${process.pid}`;
    rmSync(next, { recursive: true, force: true });
    let result;
    try {
      result = await esbuild.build(bundleOptions({ cli: entry }, next, outdir));
    } catch (err) {
      rmSync(next, { recursive: true, force: true });
      throw err;
    }
    const inputs = [...Object.keys(result.metafile.inputs).map(toPosix), ...EXTRA_INPUTS].sort();
    const files = mtimes(inputs);
    const changed = inputs.filter((f) => !(files[f] < startedAt));
    if (changed.length > 0 && attempt < 3) continue; // edited while bundling: bundle again
    writeFileSync(join(next, STAMP_FILE), `${JSON.stringify({ app, builtAt: startedAt, files })}\n`);
    const old = `${outdir}.old-${process.pid}`;
    if (existsSync(outdir)) renameSync(outdir, old);
    renameSync(next, outdir);
    rmSync(old, { recursive: true, force: true });
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    const chunks = Object.keys(result.metafile.outputs).filter((o) => o.endsWith('.js')).length;
    return { app, outdir, inputs: inputs.length, chunks, bytes };
  }
}

async function main(argv) {
  const apps = argv.length > 0 ? argv : APPS;
  const unknown = apps.filter((a) => !APPS.includes(a));
  if (unknown.length > 0) {
    console.error(`build: unknown app ${unknown.join(', ')}; expected some of ${APPS.join(', ')}`);
    process.exit(2);
  }
  const t0 = performance.now();
  for (const app of apps) {
    let r;
    try {
      r = await buildApp(app);
    } catch (err) {
      // esbuild has printed its errors with their locations above.
      console.error(`build: ${app} failed${err.errors ? '' : `: ${err.message}`}`);
      process.exit(1);
    }
    const kb = (r.bytes / 1024).toFixed(0);
    console.log(
      `${app.padEnd(7)} ${relative(ROOT, r.outdir)}: ${r.chunks} chunks, ${kb} KiB from ${r.inputs} sources`,
    );
  }
  console.log(`built ${apps.length} apps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
