#!/usr/bin/env node
// Builds dlpipe's native addon (oneDNN over N-API) at install time. It never fails the install:
// when the addon cannot build, it records why in build/status.json, says so in one line, and
// dlpipe uses the next backend (wasm).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const statusFile = join(here, 'build', 'status.json');

function finish(ok, reason) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ok, reason, at: new Date().toISOString() })}\n`);
  if (ok) console.log('dlpipe: native backend built (oneDNN)');
  else console.log(`dlpipe: native backend not built: ${reason}. dlpipe will use the wasm backend.`);
  process.exit(0);
}

if (process.env.DLPIPE_SKIP_NATIVE) finish(false, 'DLPIPE_SKIP_NATIVE is set');
if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) {
  finish(false, 'oneDNN headers are missing (apt-get install libdnnl-dev, then pnpm install again)');
}
let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  finish(false, 'node-gyp is not installed');
}
// Incremental when configured already: a rebuild deletes build/ (and the working addon) first.
const configured = existsSync(join(here, 'build', 'Makefile'));
const args = [gyp, configured ? 'build' : 'rebuild', '--release'];
if (existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr'); // no header download offline
const r = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8', env: { ...process.env } });
if (r.status !== 0) {
  const lines = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => /error|ERR!/.test(l));
  finish(false, `node-gyp failed: ${lines.slice(0, 3).join(' | ').slice(0, 400) || `exit ${r.status}`}`);
}
finish(true);
