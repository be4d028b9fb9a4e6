/** `pnpm vision generate`: a small set written, the same seed gives the same files, bad input exits 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDetectionSet } from '@dlpipe/vision';

const BIN = fileURLToPath(new URL('../../bin/dlpipe-vision.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-generate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function vision(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()) {
    h.update(f.slice(dir.length)).update(readFileSync(f));
  }
  return h.digest('hex');
}

describe('vision generate', () => {
  it('writes a set that loadDetectionSet reads, identically for the same seed', () => {
    const small = [
      '--set',
      'bananas',
      '--train-size',
      '6',
      '--val-size',
      '2',
      '--image-size',
      '64',
      '--json',
    ];
    const a = vision('generate', ...small, '--out', join(tmp, 'a'));
    assert.equal(a.code, 0, a.err);
    const summary = JSON.parse(a.out) as { counts: { train: { images: number } } };
    assert.equal(summary.counts.train.images, 6);
    const set = loadDetectionSet(join(tmp, 'a', 'bananas'), 'train');
    assert.equal(set.images.length, 6);
    assert.ok(set.images.every((im) => im.boxes.length === 1 && im.width === 64));
    assert.equal(vision('generate', ...small, '--out', join(tmp, 'b')).code, 0);
    assert.equal(digest(join(tmp, 'a', 'bananas')), digest(join(tmp, 'b', 'bananas')));
  });

  it('refuses an existing set without --overwrite and an unknown set, in one line with exit 2', () => {
    const again = vision(
      'generate',
      '--set',
      'bananas',
      '--train-size',
      '6',
      '--val-size',
      '2',
      '--out',
      join(tmp, 'a'),
    );
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists and is not empty: pass overwrite: true \(--overwrite\)/);
    const unknown = vision('generate', '--set', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--set 'nope'.*bananas.*emoji-10/);
  });
});
