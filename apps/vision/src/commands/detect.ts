/**
 * `pnpm vision detect <image|folder> --model runs/x`: boxes with class names and scores for each
 * image, from a trained detection run (@dlpipe/vision's `detectImages`): out/detections.json
 * (file, classId, className, score, bbox [x, y, w, h] in pixels of the original image) and one
 * PNG per image with the boxes drawn. Every bad input is checked before anything loads or is
 * written, and all of them are named on one line.
 *
 *   pnpm vision detect photos/ --model runs/tinyssd --score 0.5
 */
import { existsSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineCommand, ensureDir, InvalidArgumentError } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { detectImages, detectInputs, loadDetectorRun, readDetectorConfig } from '@dlpipe/vision';
import { z } from 'zod';

/** One error naming every problem with its parameter ("--model runs/x: …; --out …"), or nothing when there is none. */
export function throwProblems(problems: Record<string, string | undefined>): void {
  const found = Object.entries(problems).filter((e): e is [string, string] => e[1] !== undefined);
  if (found.length > 0) throw new InvalidArgumentError(found.map(([what, p]) => `${what} ${p}`).join('; '));
}

/** Why `path` cannot be an output folder, found by creating it and removing what was created. */
export function outputDirProblem(path: string): string | undefined {
  const made: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) made.push(p);
  try {
    ensureDir(path);
    if (!statSync(path).isDirectory()) return `${path}: not a folder`;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    for (const p of made) if (existsSync(p)) rmdirSync(p);
  }
}

/** The message of what `fn` throws, or undefined. */
async function problemOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export const detect = defineCommand({
  summary: 'detect objects in an image or a folder with a trained detector (JSON + PNGs with boxes)',
  description: `Runs a detection run's model (\`pnpm vision train --model tinyssd|yolo\`) on an image or
on every image under a folder; images of any size are resized to the model's input and the boxes
scaled back. Writes detections.json (file, classId, className, score, bbox [x, y, w, h] in
pixels of the original image) and one PNG per image with the boxes, labels and scores drawn.`,
  args: { path: z.string().describe('an image, or a folder of images (searched recursively)') },
  flags: {
    model: z
      .string()
      .meta({ placeholder: 'DIR', description: 'a detection run (runs/<name>) or its model/ folder' }),
    out: z.string().optional().meta({
      placeholder: 'DIR',
      description: 'the folder for detections.json and the PNGs (default: <run>/detect)',
    }),
    score: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .meta({ description: 'drop detections scoring below this' }),
    iou: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .meta({ description: 'IoU above which NMS drops the lower-scoring box' }),
  },
  examples: [
    'pnpm vision detect photos/ --model runs/tinyssd',
    'pnpm vision detect cat.jpg --model runs/yolo --score 0.5 --json',
  ],
  json: true,
  async run(o) {
    const out = o.out ?? join(o.model, 'detect');
    let inputs: { root: string; files: string[] } | undefined;
    throwProblems({
      '<path>': await problemOf(async () => {
        inputs = await detectInputs(o.path);
      }),
      '--model': readDetectorConfig(o.model).problem,
      '--out': outputDirProblem(out),
    });
    await initBackend();
    const run = await loadDetectorRun(o.model);
    try {
      const { root, files } = inputs!;
      const r = await detectImages(run.detector, files, {
        root,
        out,
        classNames: run.classNames,
        scoreThreshold: o.score,
        iouThreshold: o.iou,
      });
      const lines = files.map((f, i) => {
        const dets = r.detections[i] ?? [];
        const rel = relative(root, f) || f;
        const shown = dets.slice(0, 5).map((d) => `${run.classNames[d.classId]} ${d.score.toFixed(2)}`);
        const list = `${shown.join(', ')}${dets.length > 5 ? ', …' : ''}`;
        return `${rel}: ${dets.length} object(s)${list ? ` (${list})` : ''}`;
      });
      lines.push(
        `${r.records.length} detections in ${files.length} image(s) → ${out}/detections.json and ${files.length} PNG(s)`,
      );
      return { lines, data: r.records };
    } finally {
      run.detector.dispose();
    }
  },
});
