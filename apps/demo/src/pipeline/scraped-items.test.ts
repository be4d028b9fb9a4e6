import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isHeldOut, readScrapedItems, readTruth } from './scraped-items.js';
import { DemoInputError, readStepFile, writeStepFile } from './step-files.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-items-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('readScrapedItems', () => {
  it('joins records with their downloaded photos by URL, sorted by SKU, duplicates once', () => {
    const dataset = join(dir, 'dataset.jsonl');
    const manifest = join(dir, 'images', 'manifest.jsonl');
    writeFileSync(
      dataset,
      jsonl([
        { sku: 'FS-B', title: 'Relaxed tee', category: 'T-shirt/top', photo: 'http://x/img/b.png' },
        { sku: 'FS-A', title: 'Studio essential', category: '', photo: 'http://x/img/a.png' },
        { sku: 'FS-C', title: 'Gone', photo: 'http://x/img/c.png' },
        { sku: 'FS-A', title: 'again', photo: 'http://x/img/a.png' },
        { url: 'http://x/' },
      ]),
    );
    rmSync(join(dir, 'images'), { recursive: true, force: true });
    mkdirSync(join(dir, 'images'), { recursive: true });
    writeFileSync(
      manifest,
      jsonl([
        { file: 'aa.png', src: 'http://x/img/a.png' },
        { file: 'bb.png', src: 'http://x/img/b.png' },
      ]),
    );
    assert.deepEqual(readScrapedItems({ dataset, manifest }), [
      {
        sku: 'FS-A',
        title: 'Studio essential',
        category: null,
        photoUrl: 'http://x/img/a.png',
        file: join(dir, 'images', 'aa.png'),
      },
      {
        sku: 'FS-B',
        title: 'Relaxed tee',
        category: 'T-shirt/top',
        photoUrl: 'http://x/img/b.png',
        file: join(dir, 'images', 'bb.png'),
      },
      { sku: 'FS-C', title: 'Gone', category: null, photoUrl: 'http://x/img/c.png', file: null },
    ]);
  });

  it('names the file and line of a broken dataset', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"sku":"x"}\n{oops\n');
    assert.throws(() => readScrapedItems({ dataset: bad, manifest: bad }), /bad\.jsonl:2: not JSON/);
    assert.throws(() => readTruth(join(dir, 'none.jsonl')), DemoInputError);
  });
});

describe('isHeldOut', () => {
  it('holds out about the share asked, the same way for the same seed', () => {
    const skus = Array.from({ length: 4000 }, (_, i) => `FS-${i}`);
    const held = skus.filter((s) => isHeldOut(s, 42)).length / skus.length;
    assert.ok(Math.abs(held - 0.2) < 0.03, `${held}`);
    assert.deepEqual(
      skus.map((s) => isHeldOut(s, 42)),
      skus.map((s) => isHeldOut(s, 42)),
    );
    assert.notDeepEqual(
      skus.map((s) => isHeldOut(s, 42)),
      skus.map((s) => isHeldOut(s, 43)),
    );
  });
});

describe('step files', () => {
  it('round-trips, and a missing one names the step to run first', async () => {
    await writeStepFile(dir, 'crawl', { pages: 3 });
    assert.deepEqual(readStepFile(dir, 'crawl'), { pages: 3 });
    assert.throws(
      () => readStepFile(join(dir, 'nowhere'), 'label'),
      (e) =>
        e instanceof DemoInputError &&
        /label\/label\.json is missing: the 'label' step has not run/.test(e.message),
    );
    writeFileSync(join(dir, 'scrape', 'crawl.json'), '{');
    assert.throws(() => readStepFile(dir, 'crawl'), /not readable JSON/);
  });
});
