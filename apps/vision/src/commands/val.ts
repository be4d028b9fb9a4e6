/**
 * `pnpm vision val --model runs/x --data <set>`: COCO mAP of a trained detection run on a labelled
 * split (@dlpipe/vision's `validateDetector`): the 12 numbers as pycocotools prints them, AP per
 * class, and in --out: pr-curves.png, metrics.json, ground-truth.json and detections.json.
 *
 *   pnpm vision val --model runs/tinyssd --data bananas --split val
 */
import { join } from 'node:path';
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import {
  BUILTIN_DETECTION_SETS,
  detectionDataProblem,
  formatCocoSummary,
  loadDetectorRun,
  readDetectorConfig,
  resolveDetectionData,
  validateDetector,
} from '@dlpipe/vision';
import { z } from 'zod';
import { outputDirProblem, throwProblems } from './detect.js';

export const val = defineCommand({
  summary: 'COCO mAP and PR curves of a trained detector on a labelled split',
  description: `Evaluates a detection run's model (\`pnpm vision train --model tinyssd|yolo\`) on a split of a
detection set, exactly as pycocotools' COCOeval (bbox): the 12 summary numbers and AP per class.
Writes pr-curves.png (precision vs recall per class at IoU 0.5, the class mean at 0.5 and at
0.5:0.95), metrics.json, ground-truth.json and detections.json (\`pnpm vision map\` on the last two
gives the same numbers). --data is a built-in set (${BUILTIN_DETECTION_SETS.join(', ')}), a set folder
(annotations/<split>.json, or YOLO's data.yaml) or a COCO JSON file.`,
  flags: {
    model: z
      .string()
      .meta({ placeholder: 'DIR', description: 'a detection run (runs/<name>) or its model/ folder' }),
    data: z.string().meta({
      placeholder: 'NAME|DIR',
      description: `a built-in set (${BUILTIN_DETECTION_SETS.join(', ')}), a set folder or a COCO JSON file`,
    }),
    split: z.enum(['train', 'val']).default('val').meta({ description: 'the split to evaluate' }),
    out: z.string().optional().meta({
      placeholder: 'DIR',
      description: 'the folder for pr-curves.png and metrics.json (default: <run>/val)',
    }),
  },
  examples: [
    'pnpm vision val --model runs/tinyssd --data bananas',
    'pnpm vision val --model runs/yolo --data datasets/emoji-10 --json',
  ],
  json: true,
  async run(o) {
    const out = o.out ?? join(o.model, o.split === 'val' ? 'val' : `val-${o.split}`);
    throwProblems({
      '--model': readDetectorConfig(o.model).problem,
      '--data': detectionDataProblem(o.data),
      '--out': outputDirProblem(out),
    });
    await initBackend();
    const set = await resolveDetectionData(o.data, o.split);
    const run = await loadDetectorRun(o.model);
    try {
      if (set.classNames.length !== run.classNames.length) {
        throwProblems({
          '--data':
            `${o.data} has ${set.classNames.length} classes (${set.classNames.slice(0, 5).join(', ')}), ` +
            `the model ${run.classNames.length} (${run.classNames.slice(0, 5).join(', ')}); evaluate it on the set it was trained on`,
        });
      }
      const r = await validateDetector(run.detector, set, {
        out,
        title: `${run.detector.config.arch} on ${o.data} (${o.split})`,
        extra: { model: o.model, data: o.data, split: o.split },
      });
      const w = Math.max(8, ...r.perClass.map((c) => c.name.length));
      const f = (v: number) => v.toFixed(3).padStart(6);
      const lines = [
        ...formatCocoSummary(r.evaluation),
        '',
        `${'class'.padEnd(w)}  ${'GT'.padStart(6)}     AP   AP50  AR100`,
        ...r.perClass.map(
          (c) => `${c.name.padEnd(w)}  ${String(c.numGt).padStart(6)} ${f(c.AP)} ${f(c.AP50)} ${f(c.AR100)}`,
        ),
        '',
        ...r.files,
      ];
      const perClass = r.perClass.map(({ name, numGt, AP, AP50, AP75, AR100 }) => ({
        name,
        numGt,
        AP,
        AP50,
        AP75,
        AR100,
      }));
      return { lines, data: { ...r.stats, perClass, files: r.files } };
    } finally {
      run.detector.dispose();
    }
  },
});
