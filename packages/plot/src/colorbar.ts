/**
 * A vertical colorbar: the colormap as a gradient from `domain[0]` (bottom) to `domain[1]`
 * (top), framed, with nice ticks and labels on its right.
 *
 *   drawColorbar({ x: 560, y: 40, width: 16, height: 300 }, [0, 87], blues, 'cm');
 */
import { FONT_SIZE, type PlotBox } from './axes.js';
import { createScale } from './scale.js';
import { el, line, rect, text } from './svg.js';

const STOPS = 16;

/** The colorbar as SVG; `id` keeps its gradient unique within a figure. */
export function drawColorbar(
  box: PlotBox,
  domain: readonly [number, number],
  colormap: (t: number) => string,
  id: string,
): string {
  const stops = Array.from({ length: STOPS + 1 }, (_, i) =>
    el('stop', { offset: i / STOPS, 'stop-color': colormap(i / STOPS) }),
  );
  const gradient = el('linearGradient', { id: `${id}-gradient`, x1: 0, y1: 1, x2: 0, y2: 0 }, stops);
  const out = [el('defs', {}, gradient), rect({ ...box, fill: `url(#${id}-gradient)`, stroke: '#333333' })];
  const bottom = box.y + box.height;
  const scale = createScale({
    extent: domain,
    domain,
    range: [bottom, box.y],
    tickCount: Math.max(2, Math.round(box.height / 60)),
  });
  for (const v of scale.ticks) {
    const y = scale.map(v);
    const right = box.x + box.width;
    out.push(line(right, y, right + 4, y, { stroke: '#333333' }));
    out.push(
      text(right + 7, y + FONT_SIZE.tick * 0.35, scale.format(v), {
        'font-size': FONT_SIZE.tick,
        fill: '#333333',
      }),
    );
  }
  return out.join('');
}
