import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError, Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { CorpusError } from '../errors.js';
import type { PairRecord } from '../pairs/dedup-pairs.js';
import { writePairsSplits } from '../pairs/pairs-tsv.js';
import { truncatePad } from '../text/truncate-pad.js';
import type { Seq2SeqBatch } from './encoder-decoder.js';
import {
  buildArrayNmt,
  buildSeq2SeqVocabs,
  type Seq2SeqArrays,
  seq2seqArrays,
  seq2seqDataSource,
  shiftRight,
  specialIds,
  type TokenPair,
  tokenizeSource,
} from './seq2seq-data.js';
import { bleuTokenizerFor, detokenize, loadSeq2SeqPairs, readParallelText } from './seq2seq-pairs.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-s2s-data-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const PAIRS: TokenPair[] = [
  ['go .', 'va !'],
  ['go now .', 'va maintenant .'],
  ['i lost .', "j'ai perdu ."],
  ['go .', 'va !'],
];

describe('seq2seq vocabularies and arrays (d2l §10.5)', () => {
  it('keeps tokens seen twice, after <unk> <pad> <bos> <eos>, by frequency', () => {
    const v = buildSeq2SeqVocabs(PAIRS);
    // src counts: . 4, go 3, now 1, i 1, lost 1 → '.' then 'go'
    assert.deepEqual(v.src.tokens, ['<unk>', '<pad>', '<bos>', '<eos>', '.', 'go']);
    // tgt counts: va 3, ! 2, . 2, maintenant 1, j'ai 1, perdu 1
    assert.deepEqual(v.tgt.tokens, ['<unk>', '<pad>', '<bos>', '<eos>', 'va', '!', '.']);
    assert.deepEqual(specialIds(v.tgt), { pad: 1, bos: 2, eos: 3 });
    assert.throws(() => buildSeq2SeqVocabs([]), CorpusError);
  });

  it("truncates or pads as d2l's truncate_pad", () => {
    assert.deepEqual(truncatePad([5, 6], 4, 1), [5, 6, 1, 1]);
    assert.deepEqual(truncatePad([5, 6, 7, 8, 9], 4, 1), [5, 6, 7, 8]);
  });

  it("builds d2l's build_array_nmt: ids + <eos>, padded, valid lengths", () => {
    const { src } = buildSeq2SeqVocabs(PAIRS);
    const a = buildArrayNmt(
      [
        ['go', '.'],
        ['go', 'now', '.'],
        ['.', '.', '.', '.', 'go'],
      ],
      src,
      4,
    );
    // go=5 .=4 now=<unk>0 eos=3 pad=1; the long line loses its <eos>
    assert.deepEqual([...a.ids], [5, 4, 3, 1, 5, 0, 4, 3, 4, 4, 4, 4]);
    assert.deepEqual([...a.validLen], [3, 4, 4]);
  });

  it('shifts targets right behind <bos> for the decoder input', () => {
    assert.deepEqual(
      [...shiftRight(Int32Array.from([7, 8, 3, 1, 9, 3, 1, 1]), 4, 2)],
      [2, 7, 8, 3, 2, 9, 3, 1],
    );
  });

  it('batches teacher-forced int32 tensors; a shuffled epoch covers every row once', () => {
    const vocabs = buildSeq2SeqVocabs(PAIRS);
    const data: Seq2SeqArrays = seq2seqArrays(PAIRS, vocabs, 4);
    const plain = seq2seqDataSource(data, { batchSize: 3 });
    assert.equal(plain.length, 2);
    const before = tf.memory().numTensors;
    const batches = [...(plain.batches(0, new Rng(1)) as Iterable<Seq2SeqBatch>)];
    const [b0, b1] = batches;
    assert.ok(b0 && b1);
    assert.deepEqual(b0.src.shape, [3, 4]);
    assert.equal(b0.src.dtype, 'int32');
    assert.deepEqual(b1.src.shape, [1, 4]);
    // 'va !' → va=4 !=5 eos=3 pad=1; decoder input <bos>=2 first
    assert.deepEqual(b0.tgtOut.arraySync()[0], [4, 5, 3, 1]);
    assert.deepEqual(b0.tgtIn.arraySync()[0], [2, 4, 5, 3]);
    assert.deepEqual(b0.tgtValidLen.arraySync(), [3, 4, 4]);
    assert.deepEqual(b0.srcValidLen.arraySync(), [3, 4, 4]);
    for (const b of batches) tf.dispose(Object.values(b));
    assert.equal(tf.memory().numTensors, before);
    const shuffled = seq2seqDataSource(data, { batchSize: 3, shuffle: true });
    const rows: number[][] = [];
    for (const b of shuffled.batches(0, new Rng(7)) as Iterable<Seq2SeqBatch>) {
      rows.push(...(b.tgtOut.arraySync() as number[][]));
      tf.dispose(Object.values(b));
    }
    const key = (r: number[]) => r.join(',');
    const expected: number[][] = [];
    for (let i = 0; i < 4; i++) expected.push([...data.tgt.ids.subarray(i * 4, i * 4 + 4)]);
    assert.deepEqual(rows.map(key).sort(), expected.map(key).sort());
  });
});

describe('seq2seq text', () => {
  it("tokenizes sources with d2l's preprocess_nmt", () => {
    assert.deepEqual(tokenizeSource('  Go. Hello,\u00a0world! '), ['go', '.', 'hello', ',', 'world', '!']);
  });

  it('detokenizes French, Chinese and the synthetic tasks', () => {
    assert.equal(detokenize(['bonjour', ',', 'le', 'monde', '!'], 'fr'), 'bonjour, le monde!');
    assert.equal(
      detokenize(['无法', '打开', '<arg>', '文件', 'gnu', 'tar'], 'zh'),
      '无法打开<arg>文件gnu tar',
    );
    assert.equal(detokenize(['a', '.', 'b'], 'copy'), 'a . b');
    assert.equal(bleuTokenizerFor('zh'), 'zh');
    assert.equal(bleuTokenizerFor('fr'), '13a');
  });
});

const rec = (src: string, tgt: string): PairRecord => ({ src, tgt, srcTok: src, tgtTok: tgt, package: 'p' });

describe('loadSeq2SeqPairs', () => {
  it('reads the splits of a pairs folder and names its language', () => {
    const dir = join(tmp, 'fr');
    mkdirSync(dir);
    writePairsSplits(dir, 'fr', { train: [rec('go .', 'va !')], val: [], test: [rec('hi .', 'salut .')] });
    const p = loadSeq2SeqPairs({ pairs: dir });
    assert.equal(p.lang, 'fr');
    assert.deepEqual(p.train, [['go .', 'va !']]);
    assert.deepEqual(p.test, [['hi .', 'salut .']]);
  });

  it('makes the synthetic task in memory, split by source hash', () => {
    const p = loadSeq2SeqPairs({ pairs: 'reverse', synthetic: { numPairs: 200, seed: 3 } });
    assert.equal(p.lang, 'reverse');
    assert.ok(p.train.length > 150);
    for (const [s, t] of p.train) assert.equal(s.split(' ').reverse().join(' '), t);
  });

  it('says what is wrong with a bad folder', () => {
    assert.throws(() => loadSeq2SeqPairs({ pairs: join(tmp, 'missing') }), PathError);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    assert.throws(() => loadSeq2SeqPairs({ pairs: empty }), /no pairs-en-<lang>\.train\.tsv/);
    const both = join(tmp, 'both');
    mkdirSync(both);
    writePairsSplits(both, 'fr', { train: [rec('a', 'b')], val: [], test: [] });
    writePairsSplits(both, 'zh', { train: [rec('a', 'b')], val: [], test: [] });
    assert.throws(
      () => loadSeq2SeqPairs({ pairs: both }),
      /several languages \(fr, zh\)|several languages \(zh, fr\)/,
    );
    const headerOnly = join(tmp, 'header-only');
    mkdirSync(headerOnly);
    writePairsSplits(headerOnly, 'fr', { train: [], val: [], test: [] });
    assert.throws(() => loadSeq2SeqPairs({ pairs: headerOnly }), /holds no pairs/);
    const zero = join(tmp, 'zero');
    mkdirSync(zero);
    writeFileSync(join(zero, 'pairs-en-fr.train.tsv'), '');
    assert.throws(() => loadSeq2SeqPairs({ pairs: zero }), /not a pair file/);
  });
});

describe('readParallelText', () => {
  it('reads line-aligned files and rejects mismatched or empty ones', () => {
    const f = (name: string, text: string) => {
      const p = join(tmp, name);
      writeFileSync(p, text);
      return p;
    };
    const src = f('src.txt', 'Go.\nHi.\n');
    assert.deepEqual(readParallelText(src, f('ref.txt', 'Va !\nSalut.\n')), {
      src: ['Go.', 'Hi.'],
      ref: ['Va !', 'Salut.'],
    });
    assert.throws(
      () => readParallelText(src, f('short.txt', 'Va !\n')),
      (e: Error) => e instanceof CorpusError && /has 2 lines but .*short\.txt has 1/.test(e.message),
    );
    assert.throws(() => readParallelText(src, f('empty.txt', '')), /reference file is empty/);
    assert.throws(() => readParallelText(join(tmp, 'nope.txt'), src), PathError);
  });
});
