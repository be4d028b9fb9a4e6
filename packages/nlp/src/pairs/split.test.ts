import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedupPairs, type PairRecord } from './dedup-pairs.js';
import { dedupKey, hashFraction, SPLITS, type Split, splitOf } from './split.js';
import { syntheticPairs, syntheticSplits } from './synthetic.js';

const rec = (src: string, tgt: string, pkg: string): PairRecord => ({
  src,
  tgt,
  srcTok: src,
  tgtTok: tgt,
  package: pkg,
});

describe('hash split', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `sentence number ${i}`);

  it('gives 90/5/5 on 20,000 keys (within 5 standard deviations)', () => {
    const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
    for (const k of keys) counts[splitOf(k)]++;
    assert.ok(Math.abs(counts.train / keys.length - 0.9) < 0.011, JSON.stringify(counts));
    assert.ok(Math.abs(counts.val / keys.length - 0.05) < 0.008, JSON.stringify(counts));
    assert.ok(Math.abs(counts.test / keys.length - 0.05) < 0.008, JSON.stringify(counts));
    const other: Record<Split, number> = { train: 0, val: 0, test: 0 };
    for (const k of keys) other[splitOf(k, { train: 0.5, val: 0.25, test: 0.25 })]++;
    assert.ok(Math.abs(other.val / keys.length - 0.25) < 0.016, JSON.stringify(other));
  });

  it('is a function of the key (order and company do not matter); the seed salts it', () => {
    const a = keys.slice(0, 500).map((k) => splitOf(k));
    const b = [...keys.slice(0, 500)]
      .reverse()
      .map((k) => splitOf(k))
      .reverse();
    assert.deepEqual(a, b);
    // Python: int.from_bytes(hashlib.sha1(b'0\0' + key).digest()[:4], 'big') / 2**32 (pinned, so the
    // split of existing files never changes silently)
    assert.equal(hashFraction('a'), 0.31129886768758297);
    assert.equal(hashFraction('cannot open file <arg>'), 0.8632244360633194);
    assert.equal(splitOf('cannot open file <arg>'), 'train');
    assert.notEqual(hashFraction('a', 0), hashFraction('a', 1));
    const moved = keys
      .slice(0, 2000)
      .filter((k) => splitOf(k, undefined, 0) !== splitOf(k, undefined, 1)).length;
    assert.ok(moved > 200, `${moved} of 2000 keys change split with another seed`);
  });

  it('no source lands in two splits: variants that dedup to one key go together', () => {
    const variants = ['Open File', 'open file', ' Open  file ', 'OPEN FILE'];
    assert.equal(new Set(variants.map(dedupKey)).size, 1);
    assert.equal(new Set(variants.map((v) => splitOf(dedupKey(v)))).size, 1);
    const splits = syntheticSplits({ task: 'copy', numPairs: 3000, seed: 3 });
    const seen = new Map<string, Split>();
    for (const s of SPLITS) {
      for (const r of splits[s]) {
        const key = dedupKey(r.src);
        assert.equal(seen.get(key) ?? s, s, `${key} in two splits`);
        seen.set(key, s);
      }
    }
  });
});

describe('dedupPairs', () => {
  it('keeps the most common translation of a normalized source', () => {
    const out = dedupPairs([
      rec('Open file', 'Ouvrir le fichier', 'a'),
      rec('open  file', 'Ouvre le fichier', 'b'),
      rec('Open file', 'Ouvre le fichier', 'c'),
      rec('Close', 'Fermer', 'c'),
    ]);
    assert.deepEqual(
      out.map((r) => [r.src, r.tgt, r.package]),
      [
        ['open  file', 'Ouvre le fichier', 'b'],
        ['Close', 'Fermer', 'c'],
      ],
    );
  });

  it('ties go to the translation seen first (package-name order), whatever the input order of later ones', () => {
    const a = rec('Quit', 'Quitter', 'bash');
    const b = rec('Quit', 'Sortir', 'coreutils');
    const c = rec('Quit', 'Terminer', 'tar');
    assert.equal(dedupPairs([a, b, c])[0]?.tgt, 'Quitter');
    assert.equal(dedupPairs([a, c, b])[0]?.tgt, 'Quitter');
    assert.equal(dedupPairs([b, a])[0]?.tgt, 'Sortir');
    assert.equal(dedupPairs([a, b, c, b])[0]?.tgt, 'Sortir', 'a majority wins over order');
  });
});

describe('syntheticPairs', () => {
  it('copy and reverse tasks, seeded, in the pair-file shape', () => {
    const copy = syntheticPairs({ task: 'copy', numPairs: 50, seed: 1, minLen: 3, maxLen: 5 });
    assert.equal(copy.length, 50);
    for (const r of copy) {
      assert.equal(r.tgt, r.src);
      assert.equal(r.srcTok, r.src);
      assert.equal(r.package, 'synthetic-copy');
      const n = r.src.split(' ').length;
      assert.ok(n >= 3 && n <= 5);
      assert.ok(r.src.split(' ').every((t) => /^[a-j]$/.test(t)));
    }
    const rev = syntheticPairs({ task: 'reverse', numPairs: 50, seed: 1, minLen: 3, maxLen: 5 });
    assert.deepEqual(
      rev.map((r) => r.src),
      copy.map((r) => r.src),
      'same seed, same sources',
    );
    for (const r of rev) assert.equal(r.tgt, r.src.split(' ').reverse().join(' '));
    assert.notDeepEqual(syntheticPairs({ task: 'copy', numPairs: 50, seed: 2 }), copy);
    assert.match(
      syntheticPairs({ task: 'copy', numPairs: 1, vocabSize: 30 })[0]?.src ?? '',
      /^w\d+( w\d+)*$/,
    );
  });

  it('bad options are an OptionsError', () => {
    assert.throws(
      () => syntheticPairs({ task: 'copy', numPairs: 5, minLen: 6, maxLen: 2 }),
      /minLen must be at most maxLen/,
    );
    assert.throws(() => syntheticPairs({ task: 'copy', numPairs: -1 }), /syntheticPairs/);
  });
});
