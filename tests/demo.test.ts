/**
 * End to end: `pnpm demo` as a user runs it, on its embedded defaults — one pipeline, crawl →
 * label → train → report — then the later steps again on the same crawl, which must give the
 * same numbers (same seed, same results).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openLabelStore } from '@dlpipe/label';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/demo/bin/dlpipe-demo.mjs');
const out = mkdtempSync(join(tmpdir(), 'dlpipe-demo-'));
after(() => rmSync(out, { recursive: true, force: true }));

function demo(argv: string[], timeout = 600_000) {
  return spawnSync(process.execPath, [bin, ...argv], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
    timeout,
  });
}

it('--help lists the steps and the flags generated from their declarations', () => {
  const r = demo(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: pnpm demo \[options\]\n/);
  for (const flag of [
    '--steps LIST',
    '--products N',
    '--features pixels|mobilenetv2',
    '--train-steps N',
    '--out DIR',
  ]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

it('bad options are one line on stderr and exit 2, not a stack', () => {
  for (const [argv, message] of [
    [['--products', 'many'], "--products 'many': expected a number"],
    [['--steps', 'crawl,scrape'], "--steps 'crawl,scrape': Invalid option"],
    [['--bogus'], "Unknown option '--bogus'"],
  ] as const) {
    const r = demo([...argv]);
    assert.equal(r.status, 2, argv.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.ok(r.stderr.startsWith(`dlpipe-demo: ${message}`), r.stderr);
  }
});

it('a step whose input is missing says which step to run first (exit 2)', () => {
  const empty = join(out, 'empty');
  const r = demo(['--steps', 'train', '--out', empty]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /step 'train' failed: .*scrape\/crawl\.json is missing: the 'crawl' step has not run/,
  );
  assert.match(r.stderr, /run `pnpm demo --steps crawl --out .*empty` first/);
});

const KEYS = [
  'pages',
  'images',
  'labeled',
  'pseudo_labeled',
  'pseudo_label_accuracy',
  'test_accuracy',
  'seconds',
];

it('the whole pipeline: every step consumes the one before, and self-training beats labeled-only', () => {
  const all = join(out, 'all');
  const r = demo(['--out', all]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(all, 'report.json'), 'utf8'));
  for (const k of KEYS) assert.ok(k in report, k);
  assert.deepEqual(Object.keys(report.test_accuracy).sort(), [
    'fully_supervised',
    'labeled_only',
    'self_trained',
  ]);
  // the crawl: 1,500 products on paginated collection pages, /cart/ left out by robots.txt, 8 photos 404
  assert.ok(report.pages > 1500, `${report.pages}`);
  assert.equal(report.products, 1500);
  assert.equal(report.images, 1492);
  assert.match(
    r.stdout,
    /crawled \d+ pages \(1 left out by robots\.txt, 0 failed\): 1500 products, 1492 photos/,
  );
  // label: 5% of the pages show a category; 4 truncated photos are reported, not fatal
  assert.equal(report.labeled, 80);
  assert.equal(report.unreadable_images, 12);
  assert.ok(report.pseudo_labeled > 400, `${report.pseudo_labeled}`);
  assert.ok(report.pseudo_label_accuracy > 0.6, `${report.pseudo_label_accuracy}`);
  assert.ok(report.pseudo_labels_used > 0 && report.pseudo_labels_used < report.pseudo_labeled);
  // train: labels + pseudo-labels beat the labels alone; all true labels bound both from above
  const acc = report.test_accuracy;
  assert.ok(acc.labeled_only > 0.3, JSON.stringify(acc));
  assert.ok(
    acc.self_trained > acc.labeled_only + 0.03,
    `self-training gains over 3 points: ${JSON.stringify(acc)}`,
  );
  assert.ok(acc.fully_supervised > acc.self_trained, JSON.stringify(acc));
  assert.ok(Math.abs(report.self_training_gain - (acc.self_trained - acc.labeled_only)) < 1e-12);
  for (const f of [
    'report.html',
    'accuracy.png',
    'shop/truth.jsonl',
    'label/labels.sqlite',
    'label/labels.csv',
    'label/review.csv',
    'label/review.png',
    'label/self-training.png',
    'train/self_trained/model/model.json',
    'train/labeled_only/curves.png',
    'train/fully_supervised/confusion-matrix.png',
  ]) {
    assert.ok(existsSync(join(all, f)), f);
  }
  // the scraped dataset holds a category only where the page showed one
  const crawl = JSON.parse(readFileSync(join(all, 'scrape', 'crawl.json'), 'utf8'));
  const records = readFileSync(crawl.dataset, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(records.filter((x) => x.sku && x.category).length, 80);
  // the label store: the scraped labels as imported, every pseudo-label with its confidence
  const store = openLabelStore(join(all, 'label', 'labels.sqlite'));
  try {
    const stats = store.stats();
    assert.equal(stats.bySource.imported, 80);
    assert.equal(stats.bySource.pseudo, report.pseudo_labeled);
    assert.ok((stats.pseudoConfidence?.min ?? 0) > 0.9, 'pseudo-labels pass the 0.9 threshold');
  } finally {
    store.close();
  }
  const review = readFileSync(join(all, 'label', 'review.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(review.length, 49, 'a header and the 48 least confident pseudo-labels');

  // the same seed on the same crawl: the same numbers
  const again = demo(['--steps', 'label,train,report', '--out', all]);
  assert.equal(again.status, 0, again.stderr);
  const second = JSON.parse(readFileSync(join(all, 'report.json'), 'utf8'));
  for (const k of [
    'labeled',
    'pseudo_labeled',
    'pseudo_label_accuracy',
    'test_accuracy',
    'feature_comparison',
  ]) {
    assert.deepEqual(second[k], report[k], k);
  }
});
