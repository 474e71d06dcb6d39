// Bounds on a received state record, judged by the receiving breaker's own options and clock.

import type { StateRecord } from './record.js';

/**
 * How far ahead of the local clock a record's version (Redis server time, ms) may be: the clock
 * skew tolerated between a replica and Redis. A record further ahead is rejected as forged.
 */
export const CLOCK_SKEW_MS = 10_000;

/** The longest duration any breaker option accepts (ms): no Breakwater writer's reopen time is further away. */
const MAX_DURATION_MS = 2_147_483_647;

/** What a receiving breaker makes of a record: rejected, or followed with this reopen time. */
export type Bounded =
  | { readonly ok: false }
  | { readonly ok: true; readonly reopenAt: number; readonly clamped: boolean };

/**
 * Checks `record` against the receiving breaker's `maxOpenDuration` at wall time `now`: a version
 * more than {@link CLOCK_SKEW_MS} ahead is rejected, and so is an open further away than any
 * breaker's options allow (no Breakwater replica wrote it); an open whose reopen time lies beyond
 * `now + maxOpenDuration` is followed only up to that bound (no record keeps a breaker open longer
 * than its own options allow).
 */
export function boundRecord(record: StateRecord, now: number, maxOpenDuration: number): Bounded {
  if (record.v > now + CLOCK_SKEW_MS) return { ok: false };
  if (record.r > now + MAX_DURATION_MS + CLOCK_SKEW_MS) return { ok: false };
  if (record.s !== 'open') return { ok: true, reopenAt: 0, clamped: false };
  const limit = now + maxOpenDuration;
  return record.r > limit
    ? { ok: true, reopenAt: limit, clamped: true }
    : { ok: true, reopenAt: record.r, clamped: false };
}
