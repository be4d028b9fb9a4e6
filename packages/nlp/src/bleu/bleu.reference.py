"""Writes sacrebleu.vectors.ts: sacreBLEU 2.6.0's results on the cases the BLEU tests check, and
d2l's `bleu` (a transcription of d2l.ai §10.7.6's function) on its cases.

    /tmp/refpy/bin/python packages/nlp/src/bleu/bleu.reference.py > packages/nlp/src/bleu/sacrebleu.vectors.ts

The random corpus and fuzz lines come from MINSTD (x ← 48271·x mod 2^31−1), the same generator
as `minstd` in the tests, so both sides build the same text without storing it.
"""
import collections
import hashlib
import json
import math

import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_char import TokenizerChar
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh


def d2l_bleu(pred_seq, label_seq, k):  # d2l.ai §10.7.6, verbatim
    pred_tokens, label_tokens = pred_seq.split(' '), label_seq.split(' ')
    len_pred, len_label = len(pred_tokens), len(label_tokens)
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, min(k, len_pred) + 1):
        num_matches, label_subs = 0, collections.defaultdict(int)
        for i in range(len_label - n + 1):
            label_subs[' '.join(label_tokens[i: i + n])] += 1
        for i in range(len_pred - n + 1):
            if label_subs[' '.join(pred_tokens[i: i + n])] > 0:
                num_matches += 1
                label_subs[' '.join(pred_tokens[i: i + n])] -= 1
        score *= math.pow(num_matches / (len_pred - n + 1), math.pow(0.5, n))
    return score


class Minstd:
    def __init__(self, seed):
        self.x = seed

    def next(self):
        self.x = self.x * 48271 % 2147483647
        return self.x


WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'bit', 'man', 'a', '.', ',', '!', '?', 'It', 'was',
         "n't", 'surprising', '3.5', '1,000', 'e-mail', '(', ')', '"', '&amp;', 'Übung', 'naïve', 'café',
         '–', '…', '«', '»', '我', '来到', '北京', 'x-ray', 'U.S.', '$', '%', 'ΣΟΦΟΣ', 'İstanbul']


def random_corpus(seed, n):
    """n segments: a reference, a second reference and a hypothesis derived from the first."""
    rng = Minstd(seed)
    hyps, refs1, refs2 = [], [], []
    for _ in range(n):
        ref = [WORDS[rng.next() % len(WORDS)] for _ in range(1 + rng.next() % 15)]
        hyp, ref2 = [], []
        for w in ref:
            r = rng.next() % 10
            if r == 0:
                continue  # dropped
            hyp.append(WORDS[rng.next() % len(WORDS)] if r < 3 else w)
            ref2.append(w if rng.next() % 4 else WORDS[rng.next() % len(WORDS)])
        glue = '' if rng.next() % 5 == 0 else ' '
        hyps.append(glue.join(hyp))
        refs1.append(' '.join(ref))
        refs2.append(' '.join(ref2))
    return hyps, refs1, refs2


POOL = list('aZ09 .,-&;<>"\'!?()[]{}@#$%^*_~`/\\|:+=«»“”„–—…€£¥©®°±×÷§¶·¿¡。，、！？：；（）「」『』《》'
            '我来到北京年月日한국어カタカナ\u00a0\u2009\u3000\u200b\u0085\u2028\t\r\ufeff😀𠀀𝟘①½ΣΑΣİẞǄ\u2e60'
            '\u0301é&quot;&amp;&lt;<skipped>\u2014\u2190\u2200\u2f81\u2fa2\ua7cb\U00010d50\U0001246f\u20c2Σ')


def fuzz_lines(seed, n):
    rng = Minstd(seed)
    return [''.join(POOL[rng.next() % len(POOL)] for _ in range(rng.next() % 40)) for _ in range(n)]


def digest(strings):
    return hashlib.sha256('\n'.join(strings).encode('utf-8')).hexdigest()


def result(score, bleu):
    return {
        'score': score.score, 'counts': list(score.counts), 'totals': list(score.totals),
        'precisions': list(score.precisions), 'bp': score.bp, 'sys_len': score.sys_len,
        'ref_len': score.ref_len, 'line': str(score), 'signature': str(bleu.get_signature()),
    }


CASES = [
    # name, hyps, ref streams, BLEU kwargs (sacreBLEU's names)
    ('sacreBLEU README: 2 references', ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'],
     [['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
      ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']], {}),
    ('one reference', ['The cat sat on the mat.'], [['The cat sat on a mat.']], {}),
    ('empty hypothesis', [''], [['The cat sat on the mat.']], {}),
    ('an empty hypothesis line among others', ['', 'the cat sat on the mat'],
     [['a dog', 'the cat sat on a mat']], {}),
    ('no overlap', ['completely different words here'], [['The cat sat on the mat.']], {}),
    ('no 4-gram match (exp smoothing)', ['the cat sat on a rug'], [['the cat sat on the mat']], {}),
    ('short hypothesis, no 4-grams', ['the cat'], [['the cat sat']], {}),
    ('short hypothesis, effective order', ['the cat'], [['the cat sat']], {'effective_order': True}),
    ('three references, closest length ties to the shorter', ['a b c d e f'],
     [['a b c d e'], ['a b c d e f g'], ['x y z']], {}),
    ('variable references (None)', ['the cat sat', 'a dog ran off', 'hello world'],
     [['the cat sat down', 'a dog ran away', 'hello there world'],
      [None, 'the dog ran off', None]], {}),
    ('zh', ['我来到北京清华大学。', '他来到了网易杭研大厦'],
     [['我来到北京的清华大学。', '他来到了网易杭研大厦。']], {'tokenize': 'zh'}),
    ('zh with Latin, digits and general punctuation', ['2024年，GPT-4 — 发布了！', 'café—naïve'],
     [['2024年, GPT-4 发布了!', 'café — naïve']], {'tokenize': 'zh'}),
    ('intl: Unicode punctuation and symbols', ['« Bonjour », dit-il… 3,5 € ¿Qué? “quoted”'],
     [['« Bonjour » dit-il … 3,5 € ¿Qué ? “quoted”']], {'tokenize': 'intl'}),
    ('13a on the same Unicode text', ['« Bonjour », dit-il… 3,5 € ¿Qué? “quoted”'],
     [['« Bonjour » dit-il … 3,5 € ¿Qué ? “quoted”']], {}),
    ('char', ['the cat sat', '我来到'], [['the hat sat', '我来了']], {'tokenize': 'char'}),
    ('none', ['The cat , sat .'], [['The cat sat .']], {'tokenize': 'none'}),
    ('mixed case', ['THE Cat SAT on the MAT.', 'ΣΟΦΟΣ İstanbul'], [['the cat sat on the mat.', 'σοφος i̇stanbul']], {}),
    ('lowercase', ['THE Cat SAT on the MAT.', 'ΣΟΦΟΣ İstanbul'], [['the cat sat on the mat.', 'σοφος i̇stanbul']],
     {'lowercase': True}),
    ('13a entities and <skipped>', ['a &quot;b&quot; &amp; c &lt;d&gt; <skipped> e'], [['a "b" & c <d> e']], {}),
]
SMOOTHING = [('exp', None), ('floor', None), ('floor', 0.5), ('add-k', None), ('add-k', 2), ('add-k', 0),
             ('none', None)]
SMOOTH_CASE = (['the cat ran to a mat', 'dogs run'], [['the cat sat on the mat', 'the dogs run fast']])

vectors = []
for name, hyps, refs, kw in CASES:
    bleu = BLEU(**kw)
    vectors.append({'name': name, 'hyps': hyps, 'refs': refs, 'options': kw,
                    **result(bleu.corpus_score(hyps, refs), bleu)})
for method, value in SMOOTHING:
    for eff in (False, True):
        kw = {'smooth_method': method, 'smooth_value': value, 'effective_order': eff}
        bleu = BLEU(**kw)
        hyps, refs = SMOOTH_CASE
        vectors.append({'name': f'smoothing {method} {value} eff={eff}', 'hyps': hyps, 'refs': refs,
                        'options': kw, **result(bleu.corpus_score(hyps, refs), bleu)})

hyps, refs1, refs2 = random_corpus(7, 300)
corpus = []
for kw in [{}, {'tokenize': 'intl', 'lowercase': True}, {'tokenize': 'zh'}, {'tokenize': 'char'},
           {'smooth_method': 'floor', 'smooth_value': 0.2}]:
    for streams in ([refs1], [refs1, refs2]):
        bleu = BLEU(**kw)
        corpus.append({'options': kw, 'nrefs': len(streams), **result(bleu.corpus_score(hyps, streams), bleu)})

sentences = []
for hyp, refs, kw in [('The cat sat on the mat.', ['The cat sat on a mat.'], {}),
                      ('the cat', ['the cat sat'], {}),
                      ('a b', ['x y'], {}),
                      ('the cat sat on a mat', ['the cat sat on the mat', 'a cat sat on a mat'], {'smooth_method': 'floor'}),
                      ('我来到北京', ['我来到北京清华大学'], {'tokenize': 'zh'})]:
    s = sacrebleu.sentence_bleu(hyp, refs, **kw)
    bleu = BLEU(effective_order=True, **kw)
    bleu.corpus_score([hyp], [[r] for r in refs])
    sentences.append({'hyp': hyp, 'refs': refs, 'options': kw, **result(s, bleu)})

fuzz = fuzz_lines(11, 2000)
toks = {'13a': Tokenizer13a(), 'intl': TokenizerV14International(), 'zh': TokenizerZh(), 'char': TokenizerChar()}
tokenizer_digests = {name: digest([t(line) for line in fuzz]) for name, t in toks.items()}
tokenizer_samples = {name: [t(line) for line in fuzz[:12]] for name, t in toks.items()}
split_digest = digest([' '.join(line.split()) + '|' + line.rstrip() + '|' + line.strip() for line in fuzz])
lower_digest = digest([line.lower() for line in fuzz])

d2l = []
for pred, label, k in [('va !', 'va !', 2), ("j'ai perdu .", "j'ai perdu .", 2), ('il est calme .', 'il est calme .', 2),
                       ('il est .', 'il est calme .', 2), ('je suis chez moi .', 'je suis chez moi .', 2),
                       ('je suis .', 'je suis chez moi .', 2), ('il est calme .', "il est mouillé .", 2),
                       ('a b c d', 'a b c d e f', 4), ('a a a a', 'a a b', 3), ('a b a b', 'a b', 1),
                       ('x y', 'a b c', 2), ('le chat', 'le chat noir', 5), ('', 'a', 1), ('a  b', 'a b', 2)]:
    d2l.append({'pred': pred, 'label': label, 'k': k, 'score': d2l_bleu(pred, label, k)})

fixed = [[x, d, f'{x:.{d}f}'] for x, d in [(0.125, 2), (0.375, 2), (2.5, 0), (3.5, 0), (0.25, 1), (0.35, 1),
                                            (12.345, 2), (100.0, 2), (0.0, 3), (1 / 400 * 100, 1), (0.0625, 3),
                                            (99.995, 2), (1e-300, 2)]]

out = {'vectors': vectors, 'corpus': corpus, 'sentences': sentences, 'tokenizerDigests': tokenizer_digests,
       'tokenizerSamples': tokenizer_samples, 'splitDigest': split_digest, 'lowerDigest': lower_digest,
       'd2l': d2l, 'fixed': fixed, 'words': WORDS, 'pool': ''.join(POOL)}
print('/**')
print(f' * sacreBLEU {sacrebleu.__version__} and d2l\'s `bleu` on the BLEU tests\' cases. Generated by bleu.reference.py')
print(' * (sacreBLEU\'s option names; refs are streams, None → null); do not edit.')
print(' */')
print('// biome-ignore-all lint: generated numbers')
print('// biome-ignore-all format: generated')
text = json.dumps(out, ensure_ascii=False, indent=1)
# invisible characters (spaces other than ' ', controls, format characters) as escapes
text = ''.join(c if c.isprintable() or c == '\n' else json.dumps(c)[1:-1] for c in text)
print(f'export const SACREBLEU = {text} as const;')
