/**
 * cocoEvaluate against pycocotools 2.0.11 (numpy 1.24.2): the 12 summary numbers and per-class AP
 * of every fixture, as printed by `coco-eval.reference.py` beside this file (which also writes the
 * fixtures under fixtures/: hand-made sets with exact 0.5/0.75 IoUs, crowd regions, `ignore`
 * fields, GT areas unlike their boxes, a GT id 0, images without GT or without detections, > 100
 * detections per image, duplicates and score ties; and seeded random sets).
 *
 *   /tmp/refpy/bin/python packages/vision/src/detection/eval/coco-eval.reference.py
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CocoDataset, CocoDetection } from '../formats/coco-schema.js';
import { cocoEvaluate } from './coco-evaluate.js';
import { linspace } from './coco-params.js';
import { COCO_STAT_KEYS } from './summarize.js';

/** pycocotools' `COCOeval.stats` and `precision[:, :, k, 0, -1]` means, from coco-eval.reference.py. */
const REFERENCE: Record<string, { stats: number[]; perClassAP: number[] }> = {
  'hand-basic': {
    stats: [
      0.39376237623762367, 0.6282178217821781, 0.5272277227722771, 0.3, 0.1929042904290429,
      0.9999999999999998, 0.4833333333333334, 0.5833333333333334, 0.5833333333333334, 0.6, 0.35, 1.0,
    ],
    perClassAP: [0.4875247524752475, 0.3],
  },
  'hand-crowd': {
    stats: [
      0.4792079207920792, 0.514026402640264, 0.514026402640264, 1.0, 0.5257425742574258, -1.0,
      0.16666666666666669, 0.6333333333333333, 0.6333333333333333, 1.0, 0.6, -1.0,
    ],
    perClassAP: [0.8574257425742574, 0.100990099009901],
  },
  'hand-many': {
    stats: [
      0.9725517106166063, 0.9725517106166062, 0.9725517106166062, 0.9999999999999998, 1.0, -1.0,
      0.06451612903225805, 0.3548387096774194, 1.0, 1.0, 1.0, -1.0,
    ],
    perClassAP: [0.9725517106166063],
  },
  'random-a': {
    stats: [
      0.13270440027863262, 0.3166435234872941, 0.09098624665375059, 0.2736592217658298, 0.12324411348298933,
      0.11699438476675425, 0.17884046052631578, 0.42383771929824565, 0.42383771929824565, 0.4619047619047619,
      0.3930648395721925, 0.4395833333333333,
    ],
    perClassAP: [0.11199151254383465, 0.10006291464011448, 0.14168363277184065, 0.17707954115874078],
  },
  'random-b': {
    stats: [
      0.060370756379326304, 0.13754122988171458, 0.04287100600653502, 0.20717858671247377,
      0.06709549286159912, 0.05028201276434012, 0.12617521367521367, 0.3810824915824916, 0.40563921263921265,
      0.389780578898226, 0.44166666666666665, 0.412521645021645,
    ],
    perClassAP: [
      0.06956098587265439, 0.06232732081180686, 0.04341181378237538, 0.01861250883585675, 0.06173421784152513,
      0.10657769113173934,
    ],
  },
  'random-c': {
    stats: [
      0.018088849412831728, 0.041968462543770686, 0.006763543569398068, 0.2898868458274399,
      0.007621807602005622, 0.013043478260869563, 0.06666666666666667, 0.275, 0.4583333333333333, 0.45,
      0.38333333333333336, 0.3,
    ],
    perClassAP: [0.035902238872535894, 0.007567152493319782, 0.010797156872639511],
  },
};

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;

describe('cocoEvaluate equals pycocotools COCOeval (bbox)', () => {
  for (const [name, ref] of Object.entries(REFERENCE)) {
    it(name, () => {
      const r = cocoEvaluate(fixture<CocoDataset>(`${name}.gt`), fixture<CocoDetection[]>(`${name}.dt`));
      COCO_STAT_KEYS.forEach((key, i) => {
        assert.ok(
          Math.abs(r.stats[key] - ref.stats[i]!) < 1e-9,
          `${key}: ${r.stats[key]} vs pycocotools ${ref.stats[i]}`,
        );
      });
      r.perClass.forEach((c, k) => {
        assert.ok(
          Math.abs(c.AP - ref.perClassAP[k]!) < 1e-9,
          `class ${c.name}: ${c.AP} vs ${ref.perClassAP[k]}`,
        );
      });
    });
  }
});

describe('cocoEvaluate details', () => {
  it("builds thresholds with numpy's linspace arithmetic", () => {
    const iou = linspace(0.5, 0.95, 10);
    assert.equal(iou[8], 0.8999999999999999); // numpy prints 0.8999999999999999 too
    assert.equal(iou[5], 0.75);
    const rec = linspace(0, 1, 101);
    assert.equal(rec.length, 101);
    assert.equal(rec[3], 0.03);
    assert.equal(rec[100], 1);
  });

  it('a perfect detection gives 1 where there is GT and -1 elsewhere', () => {
    const gt: CocoDataset = {
      images: [{ id: 7, width: 100, height: 100 }],
      categories: [{ id: 3, name: 'cat' }],
      annotations: [{ id: 1, image_id: 7, category_id: 3, bbox: [10, 10, 50, 50], area: 2500 }],
    };
    const r = cocoEvaluate(gt, [{ image_id: 7, category_id: 3, bbox: [10, 10, 50, 50], score: 0.5 }]);
    // precision is tp / (tp + fp + eps) as in pycocotools: 1 - 1e-16, not 1
    assert.deepEqual(
      COCO_STAT_KEYS.map((k) => Math.round(r.stats[k] * 1e12) / 1e12),
      [1, 1, 1, -1, 1, -1, 1, 1, 1, -1, 1, -1],
    );
    assert.deepEqual(r.dims, { T: 10, R: 101, K: 1, A: 4, M: 3 });
    assert.equal(r.perClass[0]!.name, 'cat');
    assert.equal(r.perClass[0]!.numGt, 1);
  });

  it('no detections at all: 0 where there is GT (pycocotools fails on an empty list)', () => {
    const gt = fixture<CocoDataset>('hand-basic.gt');
    const r = cocoEvaluate(gt, []);
    assert.equal(r.stats.AP, 0);
    assert.equal(r.stats.AR100, 0);
    assert.equal(r.stats.APl, 0);
  });

  it('rejects detections on images that are not in the GT, as loadRes does', () => {
    const gt = fixture<CocoDataset>('hand-basic.gt');
    assert.throws(
      () => cocoEvaluate(gt, [{ image_id: 99, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }]),
      /image id\(s\) that are not in the ground truth \(99\)/,
    );
  });

  it('ignores detections of categories the GT does not have', () => {
    const gt = fixture<CocoDataset>('hand-basic.gt');
    const dets = fixture<CocoDetection[]>('hand-basic.dt');
    const extra = [
      ...dets,
      { image_id: 1, category_id: 42, bbox: [0, 0, 9, 9] as [number, number, number, number], score: 1 },
    ];
    assert.deepEqual(cocoEvaluate(gt, extra).stats, cocoEvaluate(gt, dets).stats);
  });

  it('checks its options', () => {
    assert.throws(() => cocoEvaluate(fixture('hand-basic.gt'), [], { maxDets: [0] }), /maxDets/);
  });
});
