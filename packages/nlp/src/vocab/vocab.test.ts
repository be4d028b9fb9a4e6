import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { fortunesZh, lettersOnly, mobyDick, uciSentences } from '../corpus/corpora.js';
import { seqDataIterRandom, seqDataIterSequential } from '../corpus/partition.js';
import { VocabError } from '../errors.js';
import { Vocab } from './vocab.js';
import { ngramCounts, writeZipfPlot } from './zipf.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-vocab-'));

describe('Vocab', () => {
  const tokens = 'the cat sat on the mat the end'.split(' ');
  it('orders by frequency after <unk> and reserved tokens; min freq maps rare tokens to <unk>', () => {
    const v = Vocab.build(tokens, { minFreq: 1, reserved: ['<pad>', '<bos>', '<eos>'] });
    assert.deepEqual(v.tokens.slice(0, 5), ['<unk>', '<pad>', '<bos>', '<eos>', 'the']);
    assert.equal(v.indexOf('the'), 4);
    assert.equal(v.indexOf('unseen'), 0);
    const v2 = Vocab.build(tokens, { minFreq: 2 });
    assert.deepEqual(v2.tokens, ['<unk>', 'the']);
    assert.deepEqual(v2.stats(), { size: 2, total: 3, singletons: 0, top10Share: 1 });
  });

  it('round-trips through save/load; a mismatched or corrupt file fails clearly', () => {
    const v = Vocab.build(tokens, { reserved: ['<pad>'] });
    const p = join(dir, 'v.json');
    v.save(p);
    const back = Vocab.load(p, v.fingerprint);
    assert.deepEqual(back.tokens, v.tokens);
    assert.deepEqual(back.counts, v.counts);
    const other = Vocab.build(['x', 'y']);
    assert.throws(
      () => Vocab.load(p, other.fingerprint),
      (e: unknown) => e instanceof VocabError && /not the vocab the model was trained with/.test(e.message),
    );
    writeFileSync(p, readFileSync(p, 'utf8').slice(0, 20));
    assert.throws(() => Vocab.load(p), /not valid JSON/);
    assert.throws(() => Vocab.load(join(dir, 'none.json')), /not found/);
    assert.throws(() => v.tokenAt(99), VocabError);
  });

  it('counts n-grams and writes a log-log Zipf PNG', () => {
    assert.deepEqual(ngramCounts(['a', 'b', 'a', 'b'], 2)[0], ['a b', 2]);
    const words = lettersOnly(mobyDick().slice(0, 200_000)).split(' ');
    const [png] = writeZipfPlot(words, join(dir, 'zipf.png'));
    assert.ok(png && existsSync(png));
    assert.deepEqual([...readFileSync(png).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });
});

describe('corpora and partitioning', () => {
  it('loads Moby-Dick and the 3,000 UCI sentences', () => {
    assert.match(mobyDick(), /Call me Ishmael/);
    const s = uciSentences();
    assert.equal(s.length, 3000);
    assert.equal(s.filter((x) => x.label === 1).length, 1500);
  });

  it('loads fortunes-zh when Debian fortunes-zh is installed', (t) => {
    if (!existsSync('/usr/share/games/fortunes/tang300')) return t.skip('apt-get install fortunes-zh');
    const poems = fortunesZh('tang300');
    assert.ok(poems.length > 300);
    assert.ok(!poems.some((p) => p.includes('\x1b')));
  });

  it('random and sequential partitioning as d2l (seq 0..34, batch 2, 5 steps)', () => {
    const corpus = Array.from({ length: 35 }, (_, i) => i);
    const rand = [...seqDataIterRandom(corpus, 2, 5, new Rng(1))];
    for (const { X, Y } of rand) {
      for (const [r, x] of X.entries())
        assert.deepEqual(
          Y[r],
          x.map((v) => v + 1),
        );
    }
    assert.equal(rand.length, 3); // offset < 5 → ≥ 29 tokens → 5 or 6 subsequences → 3 batches of 2 (floor)
    const seq = [...seqDataIterSequential(corpus, 2, 5, new Rng(1))];
    const first = seq[0]!.X;
    const second = seq[1]!.X;
    assert.equal(second[0]![0], first[0]![4]! + 1); // batches continue each other row by row
    for (const { X, Y } of seq)
      for (const [r, x] of X.entries())
        assert.deepEqual(
          Y[r],
          x.map((v) => v + 1),
        );
  });
});
