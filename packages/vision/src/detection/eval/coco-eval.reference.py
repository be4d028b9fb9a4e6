"""Reference numbers for coco-evaluate.test.ts: pycocotools' COCOeval (bbox) on the fixtures.

Writes the fixtures (fixtures/<case>.gt.json, fixtures/<case>.dt.json) deterministically from
Python's `random` with fixed seeds, runs pycocotools 2.0.11 (numpy 1.24.2) on each and prints the
12 summary numbers plus per-class AP (precision[:, :, k, 0, -1] averaged over entries > -1) as
JSON, which the test holds as constants.

    /tmp/refpy/bin/python packages/vision/src/detection/eval/coco-eval.reference.py
"""
import contextlib
import io
import json
import os
import random

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def cats(n):
    return [{'id': i + 1, 'name': f'c{i + 1}'} for i in range(n)]


def img(i, w=640, h=480):
    return {'id': i, 'file_name': f'{i}.jpg', 'width': w, 'height': h}


def ann(aid, image_id, cat, box, iscrowd=0, area=None, **extra):
    return {'id': aid, 'image_id': image_id, 'category_id': cat, 'bbox': box,
            'area': box[2] * box[3] if area is None else area, 'iscrowd': iscrowd, **extra}


def det(image_id, cat, box, score):
    return {'image_id': image_id, 'category_id': cat, 'bbox': box, 'score': score}


def hand_basic():
    """Exact IoU thresholds (0.5, 0.75 exactly), score ties across images, a det on an image without GT."""
    gt = {'images': [img(1), img(2), img(3)], 'categories': cats(2), 'annotations': [
        ann(1, 1, 1, [0, 0, 100, 100]),
        ann(2, 1, 1, [200, 200, 50, 50]),
        ann(3, 2, 2, [10, 10, 20, 20]),
        ann(4, 2, 1, [300, 100, 40, 80]),
    ]}
    dt = [
        det(1, 1, [0, 0, 100, 100], 0.9),
        det(1, 1, [0, 0, 100, 50], 0.8),       # IoU 0.5 exactly with ann 1 (a duplicate: FP at 0.5)
        det(1, 1, [200, 200, 50, 37.5], 0.8),  # IoU 0.75 exactly with ann 2
        det(2, 2, [10, 10, 20, 15], 0.8),      # IoU 0.75 exactly with ann 3
        det(2, 1, [300, 100, 40, 40], 0.7),    # IoU 0.5 exactly with ann 4
        det(3, 1, [5, 5, 30, 30], 0.8),        # an image without GT: FP
        det(3, 2, [5, 5, 30, 30], 0.95),
    ]
    return gt, dt


def hand_crowd():
    """Crowd regions (IoU = intersection / det area, never TP/FN), 'ignore' fields (overwritten by
    pycocotools), GT `area` unlike the box's, an image without detections, a GT with id 0."""
    gt = {'images': [img(1), img(2), img(3)], 'categories': cats(2), 'annotations': [
        ann(10, 1, 1, [0, 0, 300, 300], iscrowd=1),
        ann(11, 1, 1, [400, 0, 60, 60]),
        ann(12, 1, 1, [500, 300, 20, 20], ignore=1),
        ann(13, 2, 1, [0, 0, 50, 50], area=900.0),     # small by its area, medium by its box
        ann(14, 2, 2, [100, 100, 120, 120], area=5000.0),
        ann(15, 3, 2, [10, 10, 40, 40]),                 # an image without detections
        ann(0, 2, 2, [300, 300, 40, 40]),               # id 0: pycocotools never counts it matched
    ]}
    dt = [
        det(1, 1, [10, 10, 50, 50], 0.99),   # inside the crowd region: ignored
        det(1, 1, [100, 100, 50, 50], 0.98),
        det(1, 1, [250, 250, 100, 100], 0.6),  # partly on the crowd (0.25 of its area)
        det(1, 1, [402, 1, 60, 60], 0.97),
        det(1, 1, [500, 300, 20, 20], 0.5),
        det(2, 1, [0, 0, 50, 48], 0.9),
        det(2, 2, [105, 100, 120, 120], 0.4),
        det(2, 2, [300, 300, 40, 40], 0.85),
        det(2, 2, [600, 400, 10, 10], 0.85),
    ]
    return gt, dt


def hand_many():
    """More than 100 detections on an image, duplicates of one box, equal scores."""
    gt = {'images': [img(1, 1000, 1000), img(2)], 'categories': cats(1), 'annotations': [
        ann(i + 1, 1, 1, [(i % 10) * 90, (i // 10) * 90, 60, 60]) for i in range(30)
    ] + [ann(31, 2, 1, [0, 0, 10, 10])]}
    dt = []
    for i in range(130):
        g = i % 40
        dt.append(det(1, 1, [(g % 10) * 90 + (i // 40) * 3, (g // 10) * 90, 60, 60], round(1 - i / 200, 2)))
    for i in range(5):
        dt.append(det(2, 1, [0, 0, 10, 10], 0.5))
    return gt, dt


def random_set(seed, n_images, n_cats, crowd_p, max_gt, fp_rate, tie_digits):
    rng = random.Random(seed)
    images, anns, dts = [], [], []
    aid = 1
    for i in range(1, n_images + 1):
        w, h = rng.choice([(640, 480), (320, 240), (1024, 768)])
        images.append(img(i, w, h))
        n = rng.randint(0, max_gt)
        for _ in range(n):
            side = rng.choice([8, 20, 40, 70, 120, 200])
            bw = round(side * rng.uniform(0.6, 1.6), 1)
            bh = round(side * rng.uniform(0.6, 1.6), 1)
            x = round(rng.uniform(0, max(1, w - bw)), 1)
            y = round(rng.uniform(0, max(1, h - bh)), 1)
            cat = rng.randint(1, n_cats)
            crowd = 1 if rng.random() < crowd_p else 0
            area = round(bw * bh * rng.uniform(0.5, 1.0), 2)  # like a mask area, inside the box
            anns.append(ann(aid, i, cat, [x, y, bw, bh], iscrowd=crowd, area=area))
            aid += 1
            for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                j = lambda v, s: round(v + rng.gauss(0, s), 1)
                c = cat if rng.random() > 0.1 else rng.randint(1, n_cats)
                box = [j(x, bw * 0.1), j(y, bh * 0.1), max(0.5, j(bw, bw * 0.1)), max(0.5, j(bh, bh * 0.1))]
                dts.append(det(i, c, box, round(rng.random(), tie_digits)))
        for _ in range(int(rng.expovariate(1 / fp_rate))):
            bw, bh = round(rng.uniform(4, 200), 1), round(rng.uniform(4, 200), 1)
            dts.append(det(i, rng.randint(1, n_cats), [round(rng.uniform(0, w - bw), 1),
                                                       round(rng.uniform(0, h - bh), 1), bw, bh],
                           round(rng.random(), tie_digits)))
    return {'images': images, 'categories': cats(n_cats), 'annotations': anns}, dts


CASES = {
    'hand-basic': hand_basic,
    'hand-crowd': hand_crowd,
    'hand-many': hand_many,
    'random-a': lambda: random_set(1, 40, 4, 0.08, 8, 4, 2),
    'random-b': lambda: random_set(2, 25, 6, 0.15, 14, 30, 1),  # 6 classes, 1-digit scores: many ties
    'random-c': lambda: random_set(3, 6, 3, 0.0, 3, 150, 3),   # > 100 dets per image
}


def evaluate(gt, dt):
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = json.loads(json.dumps(gt))
        coco.createIndex()
        res = coco.loadRes(json.loads(json.dumps(dt)))
        e = COCOeval(coco, res, 'bbox')
        e.evaluate(); e.accumulate(); e.summarize()
    prec = e.eval['precision']
    per_class = []
    for k in range(prec.shape[2]):
        s = prec[:, :, k, 0, -1]
        per_class.append(float(np.mean(s[s > -1])) if (s > -1).any() else -1.0)
    return [float(x) for x in e.stats], per_class


if __name__ == '__main__':
    os.makedirs(HERE, exist_ok=True)
    out = {}
    for name, make in CASES.items():
        gt, dt = make()
        for suffix, data in (('gt', gt), ('dt', dt)):
            with open(os.path.join(HERE, f'{name}.{suffix}.json'), 'w') as f:
                json.dump(data, f, separators=(',', ':'))
        stats, per_class = evaluate(gt, dt)
        out[name] = {'stats': stats, 'perClassAP': per_class, 'dets': len(dt), 'gts': len(gt['annotations'])}
    print(json.dumps(out, indent=1))
