/**
 * Captions under grid tiles: text wrapped to the tile's width at spaces (a word too long for a
 * line is cut with '…'), explicit '\n' breaks kept, and drawn as an SVG of centered lines.
 * Widths are estimated from the font size (DejaVu Sans, the system font, averages ≈ 0.6 em per
 * character), so captions never run past their tile.
 *
 *   wrapCaption('Shirt → T-shirt/top (0.62)', 17); // ['Shirt →', 'T-shirt/top', '(0.62)']
 */

/** Average advance of a character in em (DejaVu Sans ≈ 0.55–0.63; rounded up). */
export const CHAR_EM = 0.62;

/** How many characters fit in `width` pixels at `fontSize`. */
export function charsPerLine(width: number, fontSize: number): number {
  return Math.max(1, Math.floor(width / (fontSize * CHAR_EM)));
}

function cut(word: string, max: number): string {
  return word.length <= max ? word : `${word.slice(0, Math.max(0, max - 1))}…`;
}

/** Greedy word wrap to lines of at most `maxChars` characters, at most `maxLines` lines. */
export function wrapCaption(text: string, maxChars: number, maxLines = 3): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (next.length <= maxChars) line = next;
      else {
        if (line) lines.push(line);
        line = cut(word, maxChars);
      }
    }
    lines.push(line);
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = cut(`${kept[maxLines - 1]}…`, maxChars);
    return kept;
  }
  return lines;
}

const escapeXmlText = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An SVG of `lines` centered in a `width`×`height` box. */
export function captionSvg(lines: string[], width: number, height: number, fontSize: number): string {
  const lineHeight = Math.round(fontSize * 1.25);
  const texts = lines.map(
    (l, i) =>
      `<text x="${width / 2}" y="${2 + fontSize + i * lineHeight}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" text-anchor="middle" fill="#222">${escapeXmlText(l)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${texts.join('')}</svg>`;
}

/** Height in pixels of a caption box of `lines` lines. */
export function captionHeight(lines: number, fontSize: number): number {
  return lines === 0 ? 0 : 4 + lines * Math.round(fontSize * 1.25);
}
