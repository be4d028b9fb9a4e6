/**
 * The JS build of the CLIs (scripts/build.mjs, run by the bins through scripts/cli-launcher.mjs):
 * every app, built into a temporary folder, prints the same `--help` as its TypeScript sources
 * through tsx; lazily loaded commands stay out of the chunks `--help` loads (no TensorFlow.js);
 * a build older than its sources, or none, falls back to tsx with a one-line note.
 *
 *   pnpm test tests/startup
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-startup-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface BuildModule {
  APPS: string[];
  buildApp(app: string, options: { outdir: string }): Promise<unknown>;
}
interface LauncherModule {
  checkBuild(distDir: string): { fresh: boolean; why: string };
}
const build = (await import(join(root, 'scripts/build.mjs'))) as BuildModule;
const launcher = (await import(join(root, 'scripts/cli-launcher.mjs'))) as LauncherModule;

/** Environment of a CLI run: no test or dev switches unless given. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('DLPIPE_TEST' in extra)) delete e.DLPIPE_TEST;
  if (!('DLPIPE_DEV' in extra)) delete e.DLPIPE_DEV;
  return e;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], e: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env: e, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A launcher script for `app` that uses the build in tmp/<app> (as the bin uses apps/<app>/dist). */
function launchScript(app: string): string {
  const file = join(tmp, `launch-${app}.mjs`);
  const url = pathToFileURL(join(root, 'scripts/cli-launcher.mjs')).href;
  writeFileSync(
    file,
    `import { launch } from ${JSON.stringify(url)};\nawait launch(${JSON.stringify(app)}, { distDir: ${JSON.stringify(join(tmp, app))} });\n`,
  );
  return file;
}

/** The files and packages a built cli.js loads before any command runs (static imports). */
function staticImports(dist: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gms)) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('./')) walk(spec.slice(2));
      else packages.add(spec);
    }
  };
  walk('cli.js');
  return [...packages];
}

const tsxHelp = new Map<string, Promise<Run>>();
/** `--help` of an app's sources through tsx (DLPIPE_DEV=1), run once. */
function sourceHelp(app: string): Promise<Run> {
  let r = tsxHelp.get(app);
  if (!r) {
    r = run([join(root, `apps/${app}/bin/dlpipe-${app}.mjs`), '--help'], env({ DLPIPE_DEV: '1' }));
    tsxHelp.set(app, r);
  }
  return r;
}

before(async () => {
  await Promise.all(build.APPS.map((app) => build.buildApp(app, { outdir: join(tmp, app) })));
});

describe('built CLIs', { timeout: 240_000 }, () => {
  for (const app of build.APPS) {
    it(`${app} --help from the build equals the sources' through tsx`, async () => {
      assert.deepEqual(launcher.checkBuild(join(tmp, app)), { fresh: true, why: '' });
      const [built, sources] = await Promise.all([
        run([launchScript(app), '--help'], env()),
        sourceHelp(app),
      ]);
      assert.equal(sources.code, 0, sources.stderr);
      assert.equal(built.code, 0, built.stderr);
      assert.equal(built.stderr, '', 'a current build runs without a note');
      assert.match(built.stdout, new RegExp(`^usage: pnpm ${app} `));
      assert.equal(built.stdout, sources.stdout);
    });
  }

  it('--help loads no TensorFlow.js chunk (lazy commands are chunks of their own)', () => {
    for (const app of build.APPS) {
      const tf = staticImports(join(tmp, app)).filter((p) => p.includes('/@tensorflow/'));
      assert.deepEqual(tf, [], `${app}: cli.js loads ${tf.join(', ')}`);
    }
  });

  it('npm packages stay external, imported by path from where the sources resolve them', () => {
    const imports = staticImports(join(tmp, 'vision'));
    assert.ok(
      imports.some((p) => /node_modules\/\.pnpm\/zod@[^/]+\/node_modules\/zod\//.test(p)),
      imports.join(', '),
    );
  });
});

describe('stale builds', { timeout: 240_000 }, () => {
  const app = 'scrape';
  const stampFile = (): string => join(tmp, app, 'build-stamp.json');

  it('a source edited after the build (another mtime) makes it stale: tsx runs, with a note', async () => {
    const original = readFileSync(stampFile(), 'utf8');
    const stamp = JSON.parse(original) as { files: Record<string, number> };
    const file = Object.keys(stamp.files).find((f) => f.startsWith('packages/core/src/'));
    assert.ok(file);
    stamp.files[file] = (stamp.files[file] ?? 0) - 1000;
    writeFileSync(stampFile(), JSON.stringify(stamp));
    try {
      assert.deepEqual(launcher.checkBuild(join(tmp, app)), {
        fresh: false,
        why: `${file} changed after the build`,
      });
      const [stale, quiet, sources] = await Promise.all([
        run([launchScript(app), '--help'], env()),
        run([launchScript(app), '--help'], env({ DLPIPE_TEST: '1' })),
        sourceHelp(app),
      ]);
      assert.equal(stale.code, 0, stale.stderr);
      assert.equal(stale.stdout, sources.stdout);
      assert.equal(
        stale.stderr,
        `dlpipe-${app}: running the TypeScript sources (${file} changed after the build); \`pnpm build\` starts faster\n`,
      );
      assert.equal(quiet.stderr, '', 'no note under pnpm test');
      assert.equal(quiet.stdout, sources.stdout);
    } finally {
      writeFileSync(stampFile(), original);
    }
  });

  it('no build, or a deleted source: not fresh, with the reason', () => {
    assert.deepEqual(launcher.checkBuild(join(tmp, 'nothing-here')), { fresh: false, why: 'no build' });
    const original = readFileSync(stampFile(), 'utf8');
    const stamp = JSON.parse(original) as { files: Record<string, number> };
    stamp.files['packages/core/src/gone.ts'] = 1;
    writeFileSync(stampFile(), JSON.stringify(stamp));
    try {
      assert.equal(
        launcher.checkBuild(join(tmp, app)).why,
        'packages/core/src/gone.ts changed after the build',
      );
    } finally {
      writeFileSync(stampFile(), original);
    }
  });

  it('DLPIPE_DEV=1 runs the sources even when the build is current', async () => {
    assert.equal(launcher.checkBuild(join(tmp, app)).fresh, true);
    const code = `import { launch } from ${JSON.stringify(pathToFileURL(join(root, 'scripts/cli-launcher.mjs')).href)};
await launch('${app}', { distDir: ${JSON.stringify(join(tmp, app))}, srcEntry: ${JSON.stringify(join(tmp, 'marker.mjs'))} });`;
    writeFileSync(join(tmp, 'dev.mjs'), code);
    writeFileSync(join(tmp, 'marker.mjs'), "console.log('sources');\n");
    const r = await run([join(tmp, 'dev.mjs')], env({ DLPIPE_DEV: '1' }));
    assert.equal(r.stdout, 'sources\n', r.stderr);
  });
});
