/**
 * The token columns of a pair: English and French as d2l's `preprocess_nmt` (§10.5: non-breaking
 * spaces become spaces, lowercase, a space inserted before `,` `.` `!` `?` that follow a
 * non-space), Chinese segmented by nodejieba (precise mode, through `ChineseTokenizer`) into
 * space-separated words. Placeholders (`<arg>`) stay one token.
 *
 *   preprocessNmt('Go. Hello, world!');            // 'go . hello , world !'
 *   segmentChinese('无法打开文件 <arg>', '<arg>');  // '无法 打开 文件 <arg>'
 */
import { ChineseTokenizer } from '../tokenize/chinese.js';

/** d2l's `preprocess_nmt`, with lowercasing optional (d2l lowercases). */
export function preprocessNmt(text: string, lowercase = true): string {
  const s = text.replace(/[\u202f\u00a0]/g, ' ');
  const t = lowercase ? s.toLowerCase() : s;
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i] as string;
    out += i > 0 && ',.!?'.includes(c) && t[i - 1] !== ' ' ? ` ${c}` : c;
  }
  return out;
}

let zh: ChineseTokenizer | undefined;

/** Chinese text as space-separated jieba words; `placeholder` kept whole. */
export function segmentChinese(text: string, placeholder = '<arg>', lowercase = true): string {
  zh ??= new ChineseTokenizer({ mode: 'precise' });
  const tokenizer = zh;
  const pieces = text.split(placeholder).map((p) => {
    const s = lowercase ? p.toLowerCase() : p;
    return s.trim() === '' ? [] : tokenizer.tokenize(s);
  });
  return pieces.flatMap((words, i) => (i === 0 ? words : [placeholder, ...words])).join(' ');
}

/** The number of space-separated tokens. */
export function pairTokenCount(tokens: string): number {
  return tokens === '' ? 0 : tokens.split(' ').length;
}
