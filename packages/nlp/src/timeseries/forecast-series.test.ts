/**
 * d2l §9.1 end to end on the noisy sine (seed 42): the trained MLP's one-step error sits near the
 * noise variance and far below the 64-step error, k-step errors grow with k, the figures and
 * metrics.json are written, and bad settings are TimeSeriesErrors before any training.
 *
 * The bound on the one-step test MSE: the error x_t − ŷ_t = ε_t + (s_t − ŷ_t), with ŷ_t built
 * from earlier values only, so E[MSE] = σ² + E[(s_t − ŷ_t)²] ≥ σ² = 0.04. Over the n = 396 test
 * examples the ε² part has std σ²·√(2/n) = 0.0028, so 4 std below gives ≥ 0.028. Above: averaging
 * the 4 noisy lags estimates s_t with variance σ²/4 = 0.01 and a bias ≤ 0.025 (the sine's slope
 * 0.01 over 2.5 steps), ≈ 0.0506 in all; 5 epochs of Adam leave the net a little above that, and
 * 4 sampling std (0.011) on top gives ≤ 0.065.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { forecastSeries } from './forecast-series.js';
import { sineSeries } from './sine-series.js';
import { TimeSeriesError } from './timeseries-error.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-timeseries-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(async () => {
  await initBackend();
});

describe('forecastSeries on the noisy sine (d2l §9.1)', () => {
  it('predicts one step near the noise, degrades with k, and writes its files', async () => {
    const before = tf.memory().numTensors;
    const out = join(tmp, 'run');
    const r = await forecastSeries(sineSeries({ seed: 42 }), { seed: 42, out });
    const m = r.metrics;
    assert.equal(m.nTrain, 600);
    assert.equal(r.oneStep.length, 996);
    assert.equal(r.multistep.length, 1000);
    assert.deepEqual(
      r.kStep.map((f) => [f.k, f.start, f.yHat.length]),
      [
        [1, 4, 933],
        [4, 7, 933],
        [16, 19, 933],
        [64, 67, 933],
      ],
    );
    assert.ok(
      m.oneStep.testMse >= 0.028 && m.oneStep.testMse <= 0.065,
      `1-step test MSE ${m.oneStep.testMse}`,
    );
    assert.ok(
      m.oneStep.trainMse >= 0.028 && m.oneStep.trainMse <= 0.065,
      `1-step train MSE ${m.oneStep.trainMse}`,
    );
    const k = [1, 4, 16, 64].map((s) => m.kStep[String(s)]!);
    for (let i = 1; i < k.length; i++) assert.ok(k[i]! >= k[i - 1]!, `k-step MSE not increasing: ${k}`);
    assert.ok(k[3]! > 4 * m.oneStep.testMse, `64-step ${k[3]} vs 1-step ${m.oneStep.testMse}`);
    assert.ok(m.multistep.testMse > k[3]!, 'the multistep run from 604 on drifts furthest');
    assert.ok(m.trainLosses.length === 5 && m.trainLosses[4]! < m.trainLosses[0]!);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    for (const f of ['predictions.png', 'k-step.png', 'loss.png']) {
      assert.deepEqual([...readFileSync(join(out, f)).subarray(1, 4)], [0x50, 0x4e, 0x47], `${f} is a PNG`);
    }
    assert.deepEqual(
      JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')),
      JSON.parse(JSON.stringify(m)),
    );
    assert.equal(r.files.length, 4);
  });

  it('is reproducible for a seed', async () => {
    const a = await forecastSeries(sineSeries({ T: 200, seed: 1 }), { seed: 5, numEpochs: 1, steps: [1, 8] });
    const b = await forecastSeries(sineSeries({ T: 200, seed: 1 }), { seed: 5, numEpochs: 1, steps: [1, 8] });
    assert.deepEqual(a.metrics, b.metrics);
    assert.equal(a.metrics.nTrain, 120);
  });

  it('refuses series too short for the lags, steps or split before training', async () => {
    const s = sineSeries({ T: 50 });
    const out = join(tmp, 'never');
    await assert.rejects(
      forecastSeries(s, { steps: [64], out }),
      (e) =>
        e instanceof TimeSeriesError && /50 values is too short for tau = 4 and 64 steps/.test(e.message),
    );
    await assert.rejects(forecastSeries(s, { steps: [0] }), TimeSeriesError);
    await assert.rejects(forecastSeries(s, { steps: [1], nTrain: 46 }), /nTrain = 46 leaves no test example/);
    await assert.rejects(forecastSeries(s, { tau: 60 }), /no example with tau = 60/);
    assert.equal(existsSync(out), false);
  });
});
