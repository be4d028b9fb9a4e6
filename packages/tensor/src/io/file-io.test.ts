/** The model folder's atomic replace: folders made with core's ensureDir, hidden temporaries, old model kept on failure. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { readArtifacts, writeArtifacts } from './file-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-file-io-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const artifacts = (n: number) => ({
  modelTopology: { n },
  weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' as const }],
  weightData: new Float32Array([n, n]).buffer,
});

describe('writeArtifacts', () => {
  it('a folder that cannot be made is a PathError at once, not an endless mkdir', () => {
    // in a child: Node 20's recursive mkdir spins forever on /proc/x, which no test timeout can stop
    const script = `
      const { writeArtifacts } = await import(${JSON.stringify(new URL('./file-io.ts', import.meta.url).pathname)});
      try { writeArtifacts('/proc/x/model', { modelTopology: {} }); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(r.signal, null, 'writeArtifacts hung');
    assert.match(r.stdout, /PathError: \/proc\/x: cannot create \/proc\/x \(\w+\) \(the model folder\)/);
  });

  it('replaces a model whole and leaves no temporary folder; a failed write keeps the old model', () => {
    const parent = join(tmp, 'run');
    mkdirSync(parent);
    const dir = join(parent, 'model');
    writeArtifacts(dir, artifacts(1));
    writeArtifacts(dir, artifacts(2));
    assert.deepEqual(readdirSync(parent), ['model']);
    assert.deepEqual(readArtifacts(dir).modelTopology, { n: 2 });
    const file = join(tmp, 'file');
    writeFileSync(file, 'x');
    assert.throws(() => writeArtifacts(join(file, 'model'), artifacts(3)), PathError);
    // fails after the shards are written (a BigInt has no JSON): the half-written folder goes away
    assert.throws(() => writeArtifacts(dir, { ...artifacts(3), modelTopology: { n: 3n } }), /BigInt/);
    assert.deepEqual(readdirSync(parent), ['model']);
    assert.deepEqual(readArtifacts(dir).modelTopology, { n: 2 });
  });
});
