import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ColumnError, readCsv, Table } from '@dlpipe/data';
import { MemoryLabelStore } from '../store/memory-store.js';
import { selfTrainTable } from './self-train-table.js';

const iris = await readCsv(new URL('../../../../data/label/iris.csv', import.meta.url).pathname);
/** Rows i with i mod 3 = 0 are the holdout; of the other 100, every 5th keeps its label. */
const all = Array.from({ length: 150 }, (_, i) => i);
const trainRows = iris.take(all.filter((i) => i % 3 !== 0));
const holdout = iris.take(all.filter((i) => i % 3 === 0));
const train = trainRows.withColumn({
  name: 'species',
  dtype: 'string',
  data: trainRows.strings('species').map((s, i) => (i % 5 === 0 ? s : null)),
});

describe('selfTrainTable', () => {
  it('fills labels, tags their source and scores the holdout after every round', async () => {
    const r = await selfTrainTable({ data: train, labelCol: 'species', holdout, C: 10 });
    assert.equal(r.counts.given, 20);
    assert.equal(r.counts.given + r.counts.pseudo + r.counts.unlabeled, 100);
    assert.deepEqual(r.classes, ['setosa', 'versicolor', 'virginica']);
    assert.equal(r.rounds.length, r.nIter + 1);
    assert.equal(r.rounds[0]!.labeled, 20);
    assert.ok(r.rounds.every((x) => x.holdoutAccuracy !== undefined));
    const row = r.table.row(1);
    assert.equal(row.label_source, 'pseudo');
    assert.equal(row.species, 'setosa');
    assert.ok((row.label_confidence as number) > 0.75);
    assert.equal(r.table.row(0).label_source, 'given');
  });

  it('human labels in the store override the file; pseudo-labels are recorded', async () => {
    const store = new MemoryLabelStore();
    store.add([{ itemId: '1', label: 'versicolor', source: 'human' }]);
    const r = await selfTrainTable({ data: train, labelCol: 'species', store, maxIter: 1, C: 10 });
    assert.equal(r.table.row(1).species, 'versicolor');
    assert.equal(r.table.row(1).label_source, 'given');
    const s = store.stats();
    assert.equal(s.bySource.human, 1);
    assert.equal(s.bySource.pseudo, r.counts.pseudo);
  });

  it('a missing label column, text features and missing values name file, line and column', async () => {
    await assert.rejects(
      selfTrainTable({ data: train, labelCol: 'kind' }),
      /column 'kind': not found; the table has columns \[sepal_length/,
    );
    const text = new Table(
      [
        ...train.select(['sepal_length', 'species']).columns,
        {
          name: 'note',
          dtype: 'string',
          data: train.strings('species').map((_, i) => (i === 7 ? 'tall' : '1')),
        },
      ],
      { file: 'x.csv', lines: Array.from({ length: 100 }, (_, i) => i + 2) },
    );
    await assert.rejects(selfTrainTable({ data: text, labelCol: 'species' }), (e: Error) => {
      assert.ok(e instanceof ColumnError);
      assert.match(
        e.message,
        /column 'note': is string, but numbers are needed here \(x\.csv, line 9 holds 'tall'\)/,
      );
      return true;
    });
    const gap = text.drop(['note']).withColumn({
      name: 'w',
      dtype: 'float',
      data: Float64Array.from({ length: 100 }, (_, i) => (i === 3 ? Number.NaN : i)),
    });
    await assert.rejects(
      selfTrainTable({ data: gap, labelCol: 'species' }),
      /column 'w': x\.csv, line 5: the value is missing/,
    );
  });

  it('naive Bayes on a text column', async () => {
    const docs = Table.fromColumns({
      text: [
        'great fun film',
        'loved the great acting',
        'boring dull plot',
        'awful boring film',
        'great great fun',
        'dull and awful',
        'fun acting',
        'boring plot',
      ],
      label: ['pos', 'pos', 'neg', 'neg', null, null, null, null],
    });
    const r = await selfTrainTable({ data: docs, labelCol: 'label', textCol: 'text', threshold: 0.6 });
    assert.deepEqual(r.table.strings('label'), ['pos', 'pos', 'neg', 'neg', 'pos', 'neg', 'pos', 'neg']);
    await assert.rejects(
      selfTrainTable({ data: docs, labelCol: 'label', classifier: 'naive-bayes' }),
      /needs a text column \(--text-col\)/,
    );
  });
});
