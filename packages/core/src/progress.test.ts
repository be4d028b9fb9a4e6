import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, ProgressBar } from './progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => out.push(s), isTTY, columns: 200 } as never };
}

describe('ProgressBar', () => {
  it('on a TTY redraws one line with a bar, values, throughput and ETA, then ends it', () => {
    const { out, stream } = sink(true);
    const bar = new ProgressBar({ total: 4, label: 'epoch 1/2', unit: 'samples', stream });
    bar.update(1, { loss: 0.5 }, 32);
    bar.update(3, { loss: 0.25 }, 96);
    bar.done();
    assert.ok(out.every((s) => s.startsWith('\r\x1b[2K')));
    assert.match(
      out[0]!,
      /epoch 1\/2 {2}\[=====> +\] {2}1\/4 {2}loss 0\.5000 {2}[\d.]+ samples\/s {2}ETA \d+:\d\d/,
    );
    assert.match(out.at(-1)!, /\[=======================>\] {2}4\/4 {2}loss 0\.2500 .*\n$/);
  });
  it('without a total shows counts and elapsed time only', () => {
    const { out, stream } = sink(false);
    const bar = new ProgressBar({ stream, plainEvery: 0 });
    bar.update(5);
    assert.match(out[0]!, /^5 {2}[\d.]+ it\/s {2}0:00\n$/);
  });
  it('formats durations', () => {
    assert.equal(formatDuration(65), '1:05');
    assert.equal(formatDuration(3723), '1:02:03');
    assert.equal(formatDuration(Number.NaN), '?');
  });
});
