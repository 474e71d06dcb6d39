// Received records bounded by the receiving breaker: versions within the skew allowance, opens within maxOpenDuration.

import { describe, expect, it } from 'vitest';
import { boundRecord, CLOCK_SKEW_MS } from './record-bounds.js';
import type { StateRecord } from './record.js';

const now = 1_700_000_000_000;
const open = (r: number, v = now): StateRecord => ({ n: 'api', s: 'open', r, v, o: 'x' });

describe('boundRecord', () => {
  it('cuts an open beyond the breaker’s maxOpenDuration to it', () => {
    const day = 86_400_000;
    expect(boundRecord(open(now + 20 * day), now, 2000)).toEqual({
      ok: true,
      reopenAt: now + 2000,
      clamped: true,
    });
    expect(boundRecord(open(now + 1500), now, 2000)).toEqual({
      ok: true,
      reopenAt: now + 1500,
      clamped: false,
    });
  });

  it('rejects an open further away than any breaker option allows (2^31 - 1 ms)', () => {
    expect(boundRecord(open(now + 25 * 86_400_000), now, 2000).ok).toBe(false);
    expect(boundRecord(open(now + 1e12), now, 2_147_483_647).ok).toBe(false);
  });

  it('rejects a version further ahead than the clock-skew allowance, and accepts one within it', () => {
    expect(boundRecord(open(now + 1000, now + CLOCK_SKEW_MS + 1), now, 2000).ok).toBe(false);
    expect(boundRecord(open(now + 1000, now + CLOCK_SKEW_MS), now, 2000).ok).toBe(true);
    const closed: StateRecord = { n: 'api', s: 'closed', r: 0, v: now + 23 * 3_600_000, o: 'x' };
    expect(boundRecord(closed, now, 2000).ok).toBe(false);
    expect(boundRecord({ ...closed, v: now - 5 }, now, 2000)).toEqual({
      ok: true,
      reopenAt: 0,
      clamped: false,
    });
  });
});
