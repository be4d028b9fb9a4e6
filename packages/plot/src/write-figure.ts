/**
 * Figures to files, with no browser: SVG → PNG through resvg (DejaVu Sans from the system
 * fonts), and `writeFigure`, which picks the format from the path's extension.
 *
 *   writeFigure(lineChart({ series: [{ name: 'loss', y: losses }] }), 'runs/mlp/loss');
 *   // → runs/mlp/loss.png and runs/mlp/loss.svg
 */
import { dirname, extname } from 'node:path';
import { ensureDir, writeFileAtomicSync } from '@dlpipe/core';
import { Resvg } from '@resvg/resvg-js';
import { PlotError } from './plot-error.js';
import { FONT_FAMILY } from './svg.js';

export interface PngOptions {
  /** Pixels per SVG unit: 2 gives a 1280 × 840 PNG of a 640 × 420 figure. Default: 1. */
  scale?: number;
}

/** Renders an SVG string to PNG bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new PlotError(`svgToPng scale must be a finite number > 0, got ${scale}.`);
  }
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** A figure file to write: its path and its bytes (PNG) or text (SVG). */
export interface FigureFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * The files of a figure, rendered but not written: PNG for `.png`, SVG for `.svg`, both
 * (`path.png` and `path.svg`) for a path without extension. For callers that write them
 * together with other outputs (all or nothing).
 */
export function figureFiles(svg: string, path: string, options: PngOptions = {}): FigureFile[] {
  const ext = extname(path).toLowerCase();
  if (ext !== '' && ext !== '.png' && ext !== '.svg') {
    throw new PlotError(
      `writeFigure cannot write '${ext}' files ('${path}'); use .png, .svg, or no extension for both.`,
    );
  }
  const targets = ext === '' ? [`${path}.png`, `${path}.svg`] : [path];
  return targets.map((target) =>
    // A Uint8Array copy: @types/node 20.9's Buffer does not type-check as ArrayBufferView under TS 5.9.
    target.toLowerCase().endsWith('.png')
      ? { path: target, data: new Uint8Array(svgToPng(svg, options)) }
      : { path: target, data: svg },
  );
}

/**
 * Writes a figure (see `figureFiles` for the formats), each file atomically. Creates parent
 * directories. Returns the paths written.
 */
export function writeFigure(svg: string, path: string, options: PngOptions = {}): string[] {
  const files = figureFiles(svg, path, options);
  ensureDir(dirname(path), 'figure folder');
  for (const f of files) writeFileAtomicSync(f.path, f.data);
  return files.map((f) => f.path);
}
