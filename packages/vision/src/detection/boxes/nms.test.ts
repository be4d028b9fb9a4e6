import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';
import { loadReference } from './fixtures.js';
import { batchedNms, nms } from './nms.js';

before(async () => {
  await tf.setBackend('cpu');
});

const kept = async (t: Promise<tf.Tensor1D>) => {
  const k = await t;
  assert.equal(k.dtype, 'int32');
  const v = Array.from(await k.data());
  k.dispose();
  return v;
};

describe('nms and batchedNms (torchvision semantics)', () => {
  // 40 random boxes, scores and 3 classes (torch seed 0) with torchvision 0.14's results:
  // boxes.reference.py → boxes.reference.json
  const ref = loadReference();
  const boxes = tf.tensor2d(ref.nms.boxes, [40, 4]);
  const scores = tf.tensor1d(ref.nms.scores);
  const idxs = tf.tensor1d(ref.nms.idxs, 'int32');

  it('equals torchvision.ops.nms and batched_nms on random boxes', async () => {
    for (const t of ['0.3', '0.5']) {
      assert.deepEqual(await kept(nms(boxes, scores, Number(t))), ref.nms[`nms${t}`], `nms ${t}`);
      assert.deepEqual(
        await kept(batchedNms(boxes, scores, idxs, Number(t))),
        ref.nms[`batchedNms${t}`],
        `batched ${t}`,
      );
    }
    // the first kept boxes at 0.3, as the script prints them
    assert.deepEqual((ref.nms['nms0.3'] as number[]).slice(0, 5), [12, 10, 18, 22, 31]);
  });

  it('keeps an IoU exactly at the threshold (torchvision suppresses only IoU > threshold)', async () => {
    const b = tf.tensor2d([
      [0, 0, 2, 1],
      [1, 0, 2, 1],
    ]); // IoU 0.5 exactly
    const s = tf.tensor1d([0.9, 0.8]);
    assert.deepEqual(await kept(nms(b, s, 0.5)), [0, 1]); // torchvision: [0, 1]
    assert.deepEqual(await kept(nms(b, s, 0.49)), [0]); // torchvision: [0]
  });

  it('handles no boxes and breaks equal scores by index', async () => {
    assert.deepEqual(await kept(nms(tf.zeros([0, 4]) as tf.Tensor2D, tf.zeros([0]) as tf.Tensor1D, 0.5)), []);
    const same = tf.tensor2d([
      [5, 5, 6, 6],
      [0, 0, 1, 1],
      [0, 0, 1, 1.05],
      [5, 5, 6, 6.1],
    ]);
    assert.deepEqual(await kept(nms(same, tf.tensor1d([0.5, 0.5, 0.5, 0.5]), 0.5)), [0, 1]); // 2 and 3 overlap 0 and 1
    assert.deepEqual(
      await kept(
        batchedNms(same, tf.tensor1d([0.5, 0.5, 0.5, 0.5]), tf.tensor1d([0, 1, 0, 0], 'int32'), 0.5),
      ),
      [0, 1, 2],
    );
  });

  it('rejects NaN scores, bad boxes and mismatched lengths', async () => {
    const isDet = (re: RegExp) => (e: unknown) => e instanceof DetectionError && re.test(e.message);
    const b = tf.tensor2d([
      [0, 0, 1, 1],
      [0, 0, 2, 2],
    ]);
    await assert.rejects(nms(b, tf.tensor1d([0.5, Number.NaN]), 0.5), isDet(/nms scores: score 1 is NaN/));
    await assert.rejects(nms(b, tf.tensor1d([0.5]), 0.5), isDet(/2 boxes but 1 scores/));
    await assert.rejects(
      nms(tf.tensor2d([[1, 0, 0, 1]]), tf.tensor1d([1]), 0.5),
      isDet(/nms boxes: row 0 .* negative width/),
    );
    await assert.rejects(nms(b, tf.tensor1d([1, 2]), Number.NaN), isDet(/iouThreshold/));
    await assert.rejects(
      batchedNms(b, tf.tensor1d([1, 2]), tf.tensor1d([0], 'int32'), 0.5),
      isDet(/one class index per box/),
    );
  });

  it('leaks no tensors', async () => {
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (await batchedNms(boxes, scores, idxs, 0.5)).dispose();
    assert.equal(tf.memory().numTensors, n);
  });
});
