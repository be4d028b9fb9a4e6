/**
 * What each app's bin runs: apps/<app>/dist/cli.js (plain JS from `pnpm build`, scripts/build.mjs)
 * while that build is current, else apps/<app>/src/cli.ts through tsx, with a one-line note on
 * stderr suggesting `pnpm build` (not under `pnpm test`, whose CLI tests compare stderr).
 *
 *   await launch('vision');   // apps/vision/bin/dlpipe-vision.mjs
 *
 * "Current": every file the bundle was made from (listed with its mtime in
 * dist/build-stamp.json, plus pnpm-lock.yaml and scripts/build.mjs) still has the mtime it had
 * at build time — one stat per file, about 1 ms for an app's ~300 sources. An edited, touched or
 * deleted source makes the build stale; a new file counts once a listed file imports it.
 * DLPIPE_DEV=1 (`pnpm dev:<app>`) always runs the sources.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Whether `distDir` holds a build of the sources as they are now; `why` says what is not. */
export function checkBuild(distDir) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(distDir, 'build-stamp.json'), 'utf8'));
  } catch {
    return { fresh: false, why: 'no build' };
  }
  for (const [file, mtime] of Object.entries(stamp.files ?? {})) {
    const now = statSync(join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs;
    if (now !== mtime) return { fresh: false, why: `${file} changed after the build` };
  }
  return { fresh: true, why: '' };
}

/** Runs app `app`'s CLI: the build when current, else the sources through tsx. */
export async function launch(app, options = {}) {
  const {
    distDir = join(ROOT, 'apps', app, 'dist'),
    srcEntry = join(ROOT, 'apps', app, 'src', 'cli.ts'),
    env = process.env,
  } = options;
  if (env.DLPIPE_DEV !== '1') {
    const build = checkBuild(distDir);
    if (build.fresh) {
      await import(pathToFileURL(join(distDir, 'cli.js')).href);
      return;
    }
    if (!env.DLPIPE_TEST) {
      process.stderr.write(
        `dlpipe-${app}: running the TypeScript sources (${build.why}); \`pnpm build\` starts faster\n`,
      );
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(srcEntry).href);
}
