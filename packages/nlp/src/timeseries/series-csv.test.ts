/**
 * A series from a CSV column: values in file order or sorted by a time column (numbers or ISO
 * dates), a round trip of the sine through a CSV, and missing or non-numeric cells as CsvErrors
 * naming the file, the line and the column.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { CsvError } from '@dlpipe/data';
import { readSeriesCsv } from './series-csv.js';
import { sineSeries } from './sine-series.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-series-csv-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('readSeriesCsv', () => {
  it('round-trips the sine through a CSV column', async () => {
    const s = sineSeries({ T: 300, seed: 3 });
    const p = file('sine.csv', `t,other,x\n${s.x.map((v, i) => `${s.time[i]},a,${v}`).join('\n')}\n`);
    const r = await readSeriesCsv(p, { column: 'x' });
    assert.deepEqual(r.x, s.x);
    assert.deepEqual(r.time, s.time);
    assert.equal(r.name, 'x');
    const byTime = await readSeriesCsv(p, { column: 'x', timeColumn: 't' });
    assert.deepEqual(byTime.x, s.x);
    assert.equal(byTime.timeLabel, 't');
  });

  it('orders rows by a numeric or date time column', async () => {
    const p = file('shuffled.csv', 'day,units\n2024-01-03,30\n2024-01-01,10\n2024-01-02,20\n');
    const r = await readSeriesCsv(p, { column: 'units', timeColumn: 'day' });
    assert.deepEqual(r.x, [10, 20, 30]);
    assert.deepEqual(r.time, [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    const q = file(
      'order.csv',
      'k,v\n3,c\n1,a\n2,b\n'.replace(/,([abc])/g, (_, c) => `,${c.charCodeAt(0)}`),
    );
    assert.deepEqual((await readSeriesCsv(q, { column: 'v', timeColumn: 'k' })).x, [97, 98, 99]);
  });

  it('names the file, line and column of a missing or non-numeric cell', async () => {
    const text = file('text.csv', 'x,y\n1,2\n2,oops\n3,4\n');
    await assert.rejects(readSeriesCsv(text, { column: 'y' }), (e: unknown) => {
      return (
        e instanceof CsvError &&
        e.line === 3 &&
        e.column === 'y' &&
        /text\.csv, line 3, column 'y': 'oops' is not a number/.test(e.message)
      );
    });
    const gap = file('gap.csv', 'x,y\n1,2\n2,\n3,4\n');
    await assert.rejects(readSeriesCsv(gap, { column: 'y' }), (e: unknown) => {
      return (
        e instanceof CsvError && e.line === 3 && /gap\.csv, line 3, column 'y': missing value/.test(e.message)
      );
    });
    await assert.rejects(
      readSeriesCsv(gap, { column: 'x', timeColumn: 'y' }),
      (e: unknown) => e instanceof CsvError && e.column === 'y' && /time column/.test(e.message),
    );
    await assert.rejects(
      readSeriesCsv(text, { column: 'z' }),
      /column 'z': column not found; the header has \[x, y\]/,
    );
    await assert.rejects(readSeriesCsv(file('empty.csv', 'x\n'), { column: 'x' }), /no data rows/);
    await assert.rejects(readSeriesCsv(join(tmp, 'nope.csv'), { column: 'x' }), PathError);
    await assert.rejects(readSeriesCsv(text, { column: '' }), /column/);
  });
});
