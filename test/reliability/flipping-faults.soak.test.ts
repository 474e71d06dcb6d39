// Soak (pnpm test:soak): every adapter for SOAK_SECONDS of flipping faults; nothing lost, heals in bounded time, no heap or handle growth.

import { afterAll, describe, expect, it } from 'vitest';
import { http1Fixtures as fixtures } from '../conformance/fixtures/index.js';
import { BREAKER, HEAL_BOUND_MS, runFlippingFaults } from './flipping-faults.js';
import { grows, MiB, thirds } from './process-health.js';

/** Seconds of load per adapter (`pnpm test:soak` sets 60 unless told otherwise); at least 3, one pass over the phases. */
const SOAK_SECONDS = Math.max(3, Number(process.env.SOAK_SECONDS ?? 60));

const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0)
    console.info(`soak (${SOAK_SECONDS}s per adapter)\n${figures.join('\n')}`);
});

describe.each(fixtures)('soak: $name', (fixture) => {
  it(
    `serves every request or answers a clean 503 for ${SOAK_SECONDS}s of flipping faults, heals within ${HEAL_BOUND_MS} ms, and does not grow`,
    async () => {
      const run = await runFlippingFaults(fixture, {
        length: { seconds: SOAK_SECONDS },
        concurrency: 32,
        healCapMs: HEAL_BOUND_MS * 4,
        sampleMemory: true,
      });
      const heap = thirds(run.samples.map((s) => s.heapUsed));
      const rss = thirds(run.samples.map((s) => s.rss));
      const mb = (n: number) => (n / MiB(1)).toFixed(1);
      figures.push(
        `${fixture.name}: sent ${run.sent} (${JSON.stringify(run.tally)}), ` +
          `healed in ${run.healedInMs} ms, probes max ${run.maxProbesSeen}, breaker totals ${JSON.stringify(run.totals)}, ` +
          `heap ${mb(heap.first)}→${mb(heap.last)} MiB, rss ${mb(rss.first)}→${mb(rss.last)} MiB ` +
          `(${run.samples.length} samples)`,
      );

      expect(run.lost, 'requests lost').toEqual([]);
      expect(run.healLost, 'requests lost while healing').toEqual([]);
      expect(run.tally.ok).toBeGreaterThan(0);
      expect(run.tally.rejected).toBeGreaterThan(0);
      expect(run.tally.failed).toBeGreaterThan(0);
      expect(run.tally['server-abort']).toBeGreaterThan(0);
      expect(run.trippedBeforeHeal).toBe('open');
      expect(run.finalState).toBe('closed');
      expect(run.healedInMs).toBeLessThanOrEqual(HEAL_BOUND_MS);
      expect(run.maxProbesSeen).toBeLessThanOrEqual(BREAKER.halfOpenMaxCalls);
      expect(run.negativeInFlight).toBe(0);
      expect(run.inFlightAfter).toBe(0);
      expect(run.pendingAfter).toBe(0);
      const heapSeries = run.samples.map((s) => s.heapUsed);
      expect(grows(heapSeries, 1.5, MiB(24)), 'heap growth').toBe(false);
      expect(
        grows(
          run.samples.map((s) => s.rss),
          1.5,
          MiB(64),
        ),
        'rss growth',
      ).toBe(false);
      expect(run.leaks, 'live handles after close').toEqual([]);
      expect(run.healRequests).toBeGreaterThan(0);
    },
    SOAK_SECONDS * 1000 + 30_000,
  );
});
