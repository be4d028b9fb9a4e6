import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PathError } from '../errors.js';
import { tempPathFor, withAtomicFile, writeFileAtomic, writeFileAtomicSync } from './atomic.js';
import { checkInputDir, checkInputFile, checkOutputFile, ensureDir } from './paths.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-fs-'));
writeFileSync(join(dir, 'a.csv'), 'a\n1\n');
const root = process.getuid?.() === 0;

describe('path checks', () => {
  it('accepts a readable file and a folder where each is expected', () => {
    checkInputFile(join(dir, 'a.csv'));
    checkInputDir(dir);
    checkOutputFile(join(dir, 'new.csv'));
  });

  it('names the path and the problem: missing, folder for file, file for folder, missing parent', () => {
    const cases: [() => void, RegExp][] = [
      [() => checkInputFile(join(dir, 'nope.csv')), /nope\.csv: no such file \(the input file\)/],
      [() => checkInputFile(dir, 'table'), /: is a folder; expected a file \(the table\)/],
      [() => checkInputDir(join(dir, 'a.csv')), /a\.csv: is a file; expected a folder/],
      [() => checkOutputFile(dir), /is a folder; expected a file name/],
      [() => checkOutputFile(`${dir}/sub/`), /is a folder; expected a file name/],
      [
        () => checkOutputFile(join(dir, 'missing', 'o.csv')),
        /its folder .*missing does not exist; create it first/,
      ],
      [
        () => checkOutputFile(join(dir, 'a.csv', 'o.csv')),
        /a part of the path is a file|is a file, not a folder/,
      ],
      [() => checkInputFile(join(dir, 'a.csv', 'x')), /a part of the path is a file, not a folder/],
    ];
    for (const [f, re] of cases)
      assert.throws(f, (e: unknown) => e instanceof PathError && re.test(e.message));
  });

  it('ensureDir creates nested folders and refuses impossible ones at once, without hanging', () => {
    ensureDir(join(dir, 'x', 'y', 'z'));
    assert.deepEqual(readdirSync(join(dir, 'x', 'y')), ['z']);
    assert.throws(() => ensureDir(join(dir, 'a.csv', 'sub')), /a\.csv is a file, not a folder/);
    const t0 = Date.now();
    assert.throws(() => ensureDir('/proc/x/labels'), PathError);
    assert.ok(Date.now() - t0 < 1000);
  });

  it('refuses an unwritable folder', { skip: root ? 'root can write anywhere' : false }, () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    assert.throws(() => checkOutputFile(join(ro, 'o.csv')), /not writable/);
  });
});

describe('atomic writes', () => {
  it('keeps the extensions in the temporary name and hides it', () => {
    assert.match(tempPathFor('/x/out.csv.gz'), /^\/x\/\.out\.tmp-\d+-[0-9a-f]{6}\.csv\.gz$/);
  });

  it('writes whole files and leaves nothing behind when the writer fails', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dlpipe-atomic-'));
    await writeFileAtomic(join(d, 'm.json'), '{"a":1}');
    writeFileAtomicSync(join(d, 'n.json'), '{}');
    assert.equal(readFileSync(join(d, 'm.json'), 'utf8'), '{"a":1}');
    await assert.rejects(
      withAtomicFile(join(d, 'm.json'), async (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.equal(readFileSync(join(d, 'm.json'), 'utf8'), '{"a":1}', 'the old file is untouched');
    assert.deepEqual(readdirSync(d).sort(), ['m.json', 'n.json']);
  });
});
