/**
 * n-gram frequency curves and d2l's Zipf plot: frequency against rank on log-log axes for
 * unigrams, bigrams and trigrams.
 *
 *   writeZipfPlot(tokens, 'runs/vocab/zipf.png');
 */
import { lineChart, writeFigure } from '@dlpipe/plot';

/** Counts of n-grams (joined by a space), most frequent first. */
export function ngramCounts(tokens: readonly string[], n: number): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** Writes the Zipf plot (PNG or SVG by extension, both without); returns the paths. */
export function writeZipfPlot(
  tokens: readonly string[],
  path: string,
  title = 'Zipf: frequency vs rank',
): string[] {
  const series = (['unigram', 'bigram', 'trigram'] as const).map((name, i) => ({
    name,
    y: ngramCounts(tokens, i + 1).map(([, c]) => c),
  }));
  const svg = lineChart({ title, xLabel: 'token rank', yLabel: 'frequency', logX: true, logY: true, series });
  return writeFigure(svg, path);
}
