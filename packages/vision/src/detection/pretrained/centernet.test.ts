import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { ImageDecodeError, PretrainedModelError } from '../../errors.js';
import { readImage } from '../../image/tensor-image.js';
import { DetectionError } from '../boxes/errors.js';
import { type CenternetModel, centernetDetect, loadCenternet, type PretrainedBox } from './centernet.js';
import { COCO_CLASS_NAMES, cocoClassIds } from './coco-classes.js';

const DOG = '/usr/share/darknet/data/dog.jpg';
const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
const missing = ![DOG, MESSI].every(existsSync) && 'apt-get install -y darknet opencv-doc';
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-centernet-'));
let model: CenternetModel;

before(async () => {
  await initBackend();
  model = await loadCenternet();
});
after(() => {
  model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

type Corners = [number, number, number, number];
const iou = (b: PretrainedBox, [x1, y1, x2, y2]: Corners) => {
  const w = Math.max(0, Math.min(b.x2, x2) - Math.max(b.x1, x1));
  const h = Math.max(0, Math.min(b.y2, y2) - Math.max(b.y1, y1));
  return (w * h) / ((b.x2 - b.x1) * (b.y2 - b.y1) + (x2 - x1) * (y2 - y1) - w * h);
};
const best = (boxes: PretrainedBox[], name: string) => boxes.find((b) => b.className === name);

describe('centernetDetect', { skip: missing }, () => {
  it("finds darknet's dog, bicycle and truck where they are in dog.jpg (768×576)", async () => {
    const r = await centernetDetect(model, DOG, { minScore: 0.3 });
    assert.deepEqual([r.width, r.height], [768, 576]);
    // Boxes drawn by hand on the photo (pixels, x1 y1 x2 y2): what a person would label.
    const truth: Record<string, Corners> = {
      dog: [130, 220, 312, 540],
      bicycle: [125, 140, 568, 420],
      truck: [470, 78, 688, 168],
    };
    for (const [name, box] of Object.entries(truth)) {
      const b = best(r.boxes, name);
      assert.ok(b, `${name} in ${JSON.stringify(r.boxes)}`);
      assert.ok(iou(b, box) > 0.6, `${name}: IoU ${iou(b, box).toFixed(2)} with the hand box`);
    }
    assert.ok(r.boxes.every((b) => b.score >= 0.3 && b.x1 >= 0 && b.y1 >= 0 && b.x2 <= 768 && b.y2 <= 576));
    const scores = r.boxes.map((b) => b.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'highest score first',
    );
    assert.ok(r.boxes.every((b) => COCO_CLASS_NAMES[b.classId] === b.className));
  });

  it('keeps only the classes asked for, and a box of one class does not suppress another', async () => {
    const r = await centernetDetect(model, DOG, { minScore: 0.3, classes: ['dog', 'truck', 'car'] });
    assert.deepEqual(r.boxes.map((b) => b.className).sort(), ['car', 'dog', 'truck']);
    // car and truck share the same box: class-aware NMS keeps both
    const [car, truck] = [best(r.boxes, 'car')!, best(r.boxes, 'truck')!];
    assert.ok(iou(car, [truck.x1, truck.y1, truck.x2, truck.y2]) > 0.9);
  });

  it('takes paths and tensors alike, and leaves no tensor behind across images', async () => {
    const image = await readImage(DOG); // float32 [0, 1]
    const before = tf.memory().numTensors;
    const [a, messi, b] = await centernetDetect(model, [DOG, MESSI, image], { minScore: 0.3 });
    assert.equal(tf.memory().numTensors, before);
    image.dispose();
    assert.equal(b!.source, null);
    assert.deepEqual(
      b!.boxes.map((x) => x.className),
      a!.boxes.map((x) => x.className),
    );
    for (const [i, x] of b!.boxes.entries()) assert.ok(Math.abs(x.x1 - a!.boxes[i]!.x1) < 1);
    // opencv-doc's messi5.jpg (548×342): a footballer and the ball
    const ball = best(messi!.boxes, 'sports ball');
    assert.ok(ball && ball.x1 > 300 && ball.x2 < 420 && ball.y1 > 250, JSON.stringify(messi!.boxes));
    assert.ok(best(messi!.boxes, 'person'));
  });

  it('refuses an undecodable image by path, bad options and unknown classes', async () => {
    const bad = join(tmp, 'cut.jpg');
    writeFileSync(bad, 'not a jpeg');
    await assert.rejects(centernetDetect(model, bad), (e) => e instanceof ImageDecodeError && e.path === bad);
    await assert.rejects(centernetDetect(model, DOG, { minScore: 2 }), OptionsError);
    await assert.rejects(
      centernetDetect(model, DOG, { classes: ['dogg'] }),
      (e) => e instanceof DetectionError && /'dogg'.*did you mean 'dog'/.test(e.message),
    );
    assert.deepEqual(cocoClassIds(['person', 'Dog']), [0, 16]);
    await assert.rejects(loadCenternet({ modelPath: join(tmp, 'no.json') }), PretrainedModelError);
  });
});
