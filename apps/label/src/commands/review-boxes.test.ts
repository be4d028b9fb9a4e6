/**
 * `pnpm label review-boxes` between detect and export-boxes: a store built with the box API, its
 * review sheet (PNGs and boxes.csv), the CSV filled in and applied, export-boxes giving exactly
 * the accepted boxes; thresholds on the score; a bad line applying nothing; stats' box counts;
 * bad input as one line with exit 2 from the real CLI. Commands run in-process except the last.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CommandOutput, type DefinedCommand, describeError } from '@dlpipe/core';
import { type NewBox, openLabelStore } from '@dlpipe/label';
import { drawDetections, loadDetectionSet } from '@dlpipe/vision';
import type { z } from 'zod';
import { exportBoxes } from './export-boxes.js';
import { reviewBoxes } from './review-boxes.js';
import { stats } from './stats.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-review-boxes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const imgA = join(tmp, 'a.png');
const imgB = join(tmp, 'b.png');

/** Runs a command in-process as the CLI would: its output, or its error as one line and an exit code. */
async function cmd<A extends z.ZodRawShape, F extends z.ZodRawShape>(
  c: DefinedCommand<A, F>,
  ...argv: string[]
): Promise<{ out?: CommandOutput; line?: string; exitCode: number }> {
  try {
    const values = c.parse(argv);
    const ctx = { app: 'label', command: 'x', signal: new AbortController().signal, json: values.json };
    const out = (await c.spec.run(values, ctx)) as CommandOutput;
    return { out, exitCode: out.exitCode ?? 0 };
  } catch (err) {
    return describeError(err);
  }
}
const data = async <A extends z.ZodRawShape, F extends z.ZodRawShape>(
  c: DefinedCommand<A, F>,
  ...argv: string[]
) => {
  const r = await cmd(c, ...argv);
  assert.equal(r.exitCode, 0, r.line);
  return r.out!.data as Record<string, unknown>;
};

const box = (
  itemId: string,
  label: string,
  score: number | null,
  x1: number,
  extra: Partial<NewBox> = {},
): NewBox => ({
  itemId,
  label,
  x1,
  y1: 4,
  x2: x1 + 20,
  y2: 30,
  score,
  source: 'pseudo',
  model: 'centernet',
  ...extra,
});

/** A store with boxes 1–3 on a.png, 4–5 on b.png (pending pseudo-boxes) and 6, a person's accepted box. */
function makeStore(path: string): void {
  const s = openLabelStore(path);
  s.addBoxes([
    box(imgA, 'dog', 0.9, 2),
    box(imgA, 'cat', 0.45, 10),
    box(imgA, 'dog', 0.15, 30),
    box(imgB, 'person', 0.7, 0),
    box(imgB, 'person', 0.3, 12),
    box(imgB, 'person', null, 5, { source: 'human', model: null }),
  ]);
  s.close();
}

const statuses = (path: string) => {
  const s = openLabelStore(path, { readonly: true });
  const r = s.boxes().map((b) => `${b.id}:${b.label}:${b.status}`);
  s.close();
  return r;
};

before(async () => {
  const gray = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(128) });
  writeFileSync(imgA, await drawDetections(gray(64, 48), []));
  writeFileSync(imgB, await drawDetections(gray(40, 40), []));
});

describe('pnpm label review-boxes', () => {
  const store = join(tmp, 'labels.sqlite');
  const sheet = join(tmp, 'sheet');
  before(() => makeStore(store));

  it('lists the pending boxes by image', async () => {
    const r = await cmd(reviewBoxes, '--store', store);
    assert.equal(r.exitCode, 0, r.line);
    assert.deepEqual(r.out!.lines, [
      imgA,
      '  #1\tdog\t0.900\t2, 4, 22, 30',
      '  #2\tcat\t0.450\t10, 4, 30, 30',
      '  #3\tdog\t0.150\t30, 4, 50, 30',
      imgB,
      '  #4\tperson\t0.700\t0, 4, 20, 30',
      '  #5\tperson\t0.300\t12, 4, 32, 30',
      '5 pending boxes on 2 images; --sheet DIR writes them to review',
    ]);
  });

  it('sheet → filled-in CSV → apply → export-boxes gives exactly the accepted boxes', async () => {
    const d = await data(reviewBoxes, '--store', store, '--sheet', sheet, '--json');
    assert.deepEqual([d.images, d.boxes], [[imgA, imgB], 5]);
    assert.deepEqual(readdirSync(sheet).sort(), ['0001-a.png.png', '0002-b.png.png', 'boxes.csv']);
    const png = readFileSync(join(sheet, '0001-a.png.png'));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [64, 48], 'drawn at the image size');
    const csv = readFileSync(join(sheet, 'boxes.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'id,image,sheet,class,score,x1,y1,x2,y2,decision');
    assert.equal(csv[1], `1,${imgA},0001-a.png.png,dog,0.9,2,4,22,30,`);
    assert.equal(csv.length, 6, 'pending boxes only: the accepted box 6 is not on the sheet');

    const decide = ['accept', 'relabel:dog', 'reject', 'accept', ''];
    const filled = join(tmp, 'filled.csv');
    writeFileSync(filled, `${[csv[0], ...csv.slice(1).map((l, i) => l + decide[i])].join('\n')}\n`);
    const dry = await data(reviewBoxes, '--store', store, '--apply', filled, '--dry-run', '--json');
    assert.deepEqual(dry, { file: filled, accepted: 3, rejected: 1, relabeled: 1, pending: 1, dryRun: true });
    assert.ok(
      statuses(store).every((s) => s.endsWith('pending') || s.startsWith('6:')),
      'a dry run changes nothing',
    );

    const r = await cmd(reviewBoxes, '--store', store, '--apply', filled);
    assert.deepEqual(r.out?.lines, ['3 accepted (1 relabeled), 1 rejected; 1 left pending']);
    // the relabel rejects the detector's box 2 (cat) and adds a person's box 7 (dog)
    assert.deepEqual(statuses(store), [
      '1:dog:accepted',
      '2:cat:rejected',
      '3:dog:rejected',
      '4:person:accepted',
      '5:person:pending',
      '6:person:accepted',
      '7:dog:accepted',
    ]);

    const out = join(tmp, 'set');
    const e = await data(exportBoxes, '--store', store, '--out', out, '--val-fraction', '0', '--json');
    assert.deepEqual(e.classNames, ['dog', 'person']);
    const got = loadDetectionSet(out, 'train').images.flatMap((im) =>
      im.boxes.map((b) =>
        [b.classId, ...[b.x1, b.y1, b.x2, b.y2].map((v) => Math.round(v * 100) / 100)].join(),
      ),
    );
    assert.deepEqual(got.sort(), ['0,10,4,30,30', '0,2,4,22,30', '1,0,4,20,30', '1,5,4,25,30']);
  });

  it('stats counts boxes by status and class, in lines and --json', async () => {
    const r = await cmd(stats, '--store', store);
    assert.deepEqual(r.out?.lines?.slice(-2), [
      'boxes: 7 on 2 images; by status: pending 1, accepted 4, rejected 2',
      'boxes by class: dog 3, person 3, cat 1',
    ]);
    const d = await data(stats, '--store', store, '--json');
    assert.deepEqual(d.boxes, {
      boxes: 7,
      images: 2,
      byStatus: { pending: 1, accepted: 4, rejected: 2 },
      byLabel: { dog: 3, person: 3, cat: 1 },
    });
  });
});

describe('review-boxes: thresholds on the score', () => {
  it('accepts ≥ --accept-above and rejects < --reject-below among pending boxes; --dry-run counts only', async () => {
    const store = join(tmp, 'bulk.sqlite');
    makeStore(store);
    const dry = await cmd(
      reviewBoxes,
      '--store',
      store,
      '--accept-above',
      '0.7',
      '--reject-below',
      '0.3',
      '--dry-run',
    );
    assert.deepEqual(dry.out?.lines, [
      '2 with score ≥ 0.7 accepted, 1 with score < 0.3 rejected; 2 left pending (dry run: nothing changed)',
    ]);
    assert.equal(statuses(store).filter((s) => s.endsWith('pending')).length, 5);
    const d = await data(reviewBoxes, '--store', store, '--reject-below', '0.3', '--json');
    assert.deepEqual([d.accepted, d.rejected, d.pending], [0, 1, 4]);
    const r = await cmd(reviewBoxes, '--store', store, '--accept-above', '0.45');
    assert.deepEqual(r.out?.lines, ['3 with score ≥ 0.45 accepted; 1 left pending']);
    assert.deepEqual(statuses(store), [
      '1:dog:accepted',
      '2:cat:accepted',
      '3:dog:rejected',
      '4:person:accepted',
      '5:person:pending',
      '6:person:accepted',
    ]);
    const bad = await cmd(reviewBoxes, '--store', store, '--accept-above', '0.3', '--reject-below', '0.5');
    assert.equal(bad.exitCode, 2);
    assert.match(bad.line!, /--reject-below 0.5 is above --accept-above 0.3/);
  });
});

describe('review-boxes --apply: all or nothing', () => {
  const store = join(tmp, 'strict.sqlite');
  const header = 'id,image,sheet,class,score,x1,y1,x2,y2,decision';
  const sheetCsv = (name: string, ...rows: string[]) => {
    const p = join(tmp, name);
    writeFileSync(p, `${[header, ...rows].join('\n')}\n`);
    return p;
  };
  before(() => makeStore(store));

  it('refuses a sheet with one bad line, naming it, and applies none of its lines', async () => {
    const ok = `1,${imgA},s.png,dog,0.9,2,4,22,30,accept`;
    const cases: Array<[string, string, RegExp]> = [
      ['id.csv', `99,${imgA},s.png,dog,0.9,2,4,22,30,reject`, /id\.csv line 3: no box 99 in the store/],
      [
        'word.csv',
        `2,${imgA},s.png,cat,0.45,10,4,30,30,maybe`,
        /word\.csv line 3: unknown decision 'maybe'; expected accept, reject, relabel:<class>/,
      ],
      [
        'class.csv',
        `2,${imgA},s.png,cat,0.45,10,4,30,30,relabel:dgo`,
        /class\.csv line 3: unknown class 'dgo'; the store has cat, dog, person/,
      ],
      [
        'edited.csv',
        `2,${imgA},s.png,dog,0.45,10,4,30,30,accept`,
        /edited\.csv line 3: class 'dog' differs from box 2's 'cat'; .* relabel:dog/,
      ],
      [
        'twice.csv',
        `1,${imgA},s.png,dog,0.9,2,4,22,30,reject`,
        /twice\.csv line 3: box 1 was already decided at .*twice\.csv line 2/,
      ],
    ];
    const bytes = readFileSync(store);
    for (const [name, line, re] of cases) {
      const r = await cmd(reviewBoxes, '--store', store, '--apply', sheetCsv(name, ok, line));
      assert.equal(r.exitCode, 2, name);
      assert.match(r.line!, re);
    }
    assert.ok(readFileSync(store).equals(bytes), 'the store file is unchanged');
    assert.ok(statuses(store).every((s) => s.endsWith('pending') || s.startsWith('6:')));
    // a new class is fine once allowed; empty decisions leave boxes pending
    const good = sheetCsv(
      'new.csv',
      ok,
      `2,${imgA},s.png,cat,0.45,10,4,30,30,relabel:fox`,
      `3,${imgA},s.png,dog,0.15,30,4,50,30,`,
    );
    const d = await data(reviewBoxes, '--store', store, '--apply', good, '--classes', 'fox,wolf', '--json');
    assert.deepEqual([d.accepted, d.relabeled, d.rejected, d.pending], [2, 1, 0, 3]);
    assert.deepEqual(statuses(store).slice(0, 3), ['1:dog:accepted', '2:cat:rejected', '3:dog:pending']);
    assert.equal(statuses(store).at(-1), `${statuses(store).length}:fox:accepted`);
  });

  it('refuses a sheet without an id or decision column, and mixed steps', async () => {
    const p = join(tmp, 'other.csv');
    writeFileSync(p, 'id,label\n1,a\n');
    const r = await cmd(reviewBoxes, '--store', store, '--apply', p);
    assert.equal(r.exitCode, 2);
    assert.match(
      r.line!,
      /no 'decision' column; the header has \[id, label\]: pass the boxes\.csv that --sheet wrote/,
    );
    const mixed = await cmd(reviewBoxes, '--store', store, '--apply', p, '--accept-above', '0.5');
    assert.match(mixed.line!, /separate steps: pass one of them/);
    const sheetDir = join(tmp, 'full');
    mkdirSync(sheetDir);
    writeFileSync(join(sheetDir, 'x'), '');
    const full = await cmd(reviewBoxes, '--store', store, '--sheet', sheetDir);
    assert.match(full.line!, /full: exists and is not empty; pass --overwrite/);
  });
});

describe('review-boxes from the command line: bad input is one line, exit 2', () => {
  const bin = new URL('../../bin/dlpipe-label.mjs', import.meta.url).pathname;
  const label = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, DLPIPE_QUIET: '1' },
    });

  it('a missing store, a bad CSV line (store untouched)', () => {
    const missing = label('review-boxes', '--store', join(tmp, 'nope.sqlite'));
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(
      missing.stderr,
      /^dlpipe-label review-boxes: .*nope\.sqlite: no such file \(the label store\).*\n$/,
    );
    const store = join(tmp, 'cli.sqlite');
    makeStore(store);
    const copy = join(tmp, 'cli-copy.sqlite');
    copyFileSync(store, copy);
    const csv = join(tmp, 'cli.csv');
    writeFileSync(csv, `id,decision\n1,accept\n2,yes\n`);
    const bad = label('review-boxes', '--store', store, '--apply', csv);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /^dlpipe-label review-boxes: .*cli\.csv line 3: unknown decision 'yes'.*\n$/);
    assert.ok(readFileSync(store).equals(readFileSync(copy)));
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.startsWith('cli.sqlite')),
      ['cli.sqlite'],
    );
  });
});
