/** The self-training curve's files: paths chosen by extension, written whole (through @dlpipe/plot's writeFigure). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { roundsFigureFiles, roundsFigurePaths, writeRoundsFigure } from './plot-rounds.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-rounds-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const rounds = [
  { round: 0, labeled: 20, holdoutAccuracy: 0.8 },
  { round: 1, labeled: 60, holdoutAccuracy: 0.85 },
];

describe('rounds figure', () => {
  it('PNG + SVG without an extension, one file with .png or .svg, an error otherwise', () => {
    assert.deepEqual(roundsFigurePaths('a/acc'), ['a/acc.png', 'a/acc.svg']);
    assert.deepEqual(roundsFigurePaths('a/acc.svg'), ['a/acc.svg']);
    assert.throws(() => roundsFigurePaths('a/acc.pdf'), /must end in \.png or \.svg/);
    const files = roundsFigureFiles(rounds, 'acc');
    assert.equal(Buffer.from(files[0]!.data).subarray(1, 4).toString(), 'PNG');
    assert.match(String(files[1]!.data), /^<svg/);
    assert.deepEqual(roundsFigureFiles([{ round: 0, labeled: 3 }], 'acc'), []);
  });

  it('writes the files whole, creating the folder, with no temporary file left', () => {
    const written = writeRoundsFigure(rounds, join(tmp, 'sub', 'acc'));
    assert.deepEqual(readdirSync(join(tmp, 'sub')).sort(), ['acc.png', 'acc.svg']);
    assert.deepEqual(written, [join(tmp, 'sub', 'acc.png'), join(tmp, 'sub', 'acc.svg')]);
    assert.match(readFileSync(written[1]!, 'utf8'), /holdout accuracy/);
  });

  it('a folder that cannot be made is a PathError at once, not an endless mkdir', () => {
    // in a child: Node 20's recursive mkdir spins forever on /proc/x, which no test timeout can stop
    const script = `
      const { writeRoundsFigure } = await import(${JSON.stringify(new URL('./plot-rounds.ts', import.meta.url).pathname)});
      try { writeRoundsFigure(${JSON.stringify(rounds)}, '/proc/x/acc'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(r.signal, null, 'writeFigure hung');
    assert.match(r.stdout, /PathError: \/proc\/x: cannot create \/proc\/x \(\w+\) \(the figure folder\)/);
  });
});
