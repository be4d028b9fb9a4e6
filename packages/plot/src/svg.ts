/**
 * Tiny SVG string builders: XML escaping, number formatting and one helper per element.
 * Every text goes through `escapeXml`, so titles like `a < b & c` stay well-formed.
 *
 *   svgDocument(100, 50, [rect({ x: 0, y: 0, width: 100, height: 50, fill: 'white' }),
 *     text(10, 30, 'loss < 1 & acc > 0.9')]);
 */

/** Attribute values; `undefined` drops the attribute. Numbers are rounded to 2 decimals. */
export type Attrs = Record<string, string | number | undefined>;

/** The font every figure asks for; resvg resolves it from the system fonts. */
export const FONT_FAMILY = 'DejaVu Sans';

/** Escapes the five XML special characters for text content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** A coordinate as short text: at most 2 decimals, no trailing zeros, never `-0`. */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrText(attrs: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** One element; `children` is raw, already-built SVG (use `text()` for escaped strings). */
export function el(tag: string, attrs: Attrs = {}, children?: string | string[]): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner === undefined || inner === ''
    ? `<${tag}${attrText(attrs)}/>`
    : `<${tag}${attrText(attrs)}>${inner}</${tag}>`;
}

/** A `<text>` whose content is escaped. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return `<text${attrText({ x, y, ...attrs })}>${escapeXml(content)}</text>`;
}

/** A `<line>` from (x1, y1) to (x2, y2). */
export function line(x1: number, y1: number, x2: number, y2: number, attrs: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, ...attrs });
}

/** A `<rect>`. */
export function rect(attrs: Attrs): string {
  return el('rect', attrs);
}

/** A `<path>` through the points, as one polyline (`M x y L x y …`). */
export function polylinePath(points: ReadonlyArray<readonly [number, number]>, attrs: Attrs = {}): string {
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
  return el('path', { d, fill: 'none', ...attrs });
}

/** A whole SVG document with a white background and the house font. */
export function svgDocument(width: number, height: number, children: string[]): string {
  const root = {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${num(width)} ${num(height)}`,
    'font-family': `${FONT_FAMILY}, sans-serif`,
  };
  return el('svg', root, [rect({ x: 0, y: 0, width, height, fill: 'white' }), ...children]);
}

/** A rough width of `s` in DejaVu Sans at `fontSize` px (digits are 0.64 em wide), for layout. */
export function textWidth(s: string, fontSize: number): number {
  return [...s].length * fontSize * 0.64;
}
