import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catchUpDue, missedSlots, nextSlot } from './missed-runs.js';

const at = (iso: string) => Date.parse(iso);

describe('missed-run policy', () => {
  it('counts the slots between the last time the daemon was seen and now (hand-counted)', () => {
    // hourly at :00, down from 10:30 to 14:10 UTC → 11:00, 12:00, 13:00, 14:00
    const m = missedSlots('0 * * * *', at('2030-03-01T10:30:00Z'), at('2030-03-01T14:10:00Z'), {
      timezone: 'UTC',
    });
    assert.equal(m.count, 4);
    assert.equal(m.last?.toISOString(), '2030-03-01T14:00:00.000Z');
    // daily 03:00 Berlin (CET, UTC+1 in March before DST): down 2 days → 2 slots, the last at 02:00Z
    const d = missedSlots('0 3 * * *', at('2030-03-01T12:00:00Z'), at('2030-03-03T12:00:00Z'), {
      timezone: 'Europe/Berlin',
    });
    assert.deepEqual([d.count, d.last?.toISOString()], [2, '2030-03-03T02:00:00.000Z']);
  });

  it('nothing is missed when never seen, up to date, or between slots', () => {
    assert.equal(missedSlots('0 * * * *', undefined, at('2030-03-01T14:10:00Z')).count, 0);
    assert.equal(missedSlots('0 * * * *', at('2030-03-01T14:10:00Z'), at('2030-03-01T14:10:00Z')).count, 0);
    assert.equal(
      missedSlots('0 * * * *', at('2030-03-01T14:01:00Z'), at('2030-03-01T14:59:00Z'), { timezone: 'UTC' })
        .count,
      0,
    );
    assert.equal(
      missedSlots('* * * * * *', at('2030-03-01T00:00:00Z'), at('2030-03-02T00:00:00Z'), { cap: 50 }).count,
      50,
    );
  });

  it('run-once catches up once, skip never', () => {
    assert.equal(catchUpDue('run-once', { count: 7 }), true);
    assert.equal(catchUpDue('run-once', { count: 0 }), false);
    assert.equal(catchUpDue('skip', { count: 7 }), false);
  });

  it('nextSlot', () => {
    assert.equal(
      nextSlot('30 6 * * *', 'UTC', new Date('2030-03-01T07:00:00Z'))?.toISOString(),
      '2030-03-02T06:30:00.000Z',
    );
    assert.equal(nextSlot(undefined), undefined);
  });
});
