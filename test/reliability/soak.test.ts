// Soak: every adapter under concurrent load while its handler flips between healthy, slow, failing, hanging and aborting.

import { BreakerRegistry } from '@breakwater/core';
import { Agent } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures } from '../conformance/fixtures/index.js';
import { MODES, runLoad, shoot, type Mode } from './load.js';
import {
  activeResources,
  grows,
  leakedResources,
  memorySampler,
  MiB,
  thirds,
} from './process-health.js';
import { soakHandler } from './soak-handler.js';

/** Seconds of load per adapter: short in CI, `SOAK_SECONDS=60` for the long run. */
const SOAK_SECONDS = Math.max(1, Number(process.env.SOAK_SECONDS ?? 3));
const BREAKER = {
  failureThreshold: 5,
  openDuration: 200,
  maxOpenDuration: 400,
  halfOpenMaxCalls: 2,
  successThreshold: 2,
  timeout: 100,
} as const;
const DELAYS = { slowMs: 40, hangMs: BREAKER.timeout + 50 };
const PHASE_MS = 400;
const FAILING = ['status500', 'throw', 'reject'] as const;
/** Each phase picks the mode of its requests; a healthy phase lets the breaker close before the next fault. */
const PHASES: readonly (() => Mode)[] = [
  () => 'ok',
  () => (Math.random() < 0.7 ? 'abort' : 'ok'),
  () => (Math.random() < 0.5 ? 'slow' : 'ok'),
  () => FAILING[Math.floor(Math.random() * FAILING.length)]!,
  () => 'ok',
  () => 'hang',
  () => MODES[Math.floor(Math.random() * MODES.length)]!,
];
/** Allowed time from "handler healed" to closed: the longest open duration plus one probe round. */
const HEAL_BOUND_MS = BREAKER.maxOpenDuration + 150;

const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0)
    console.info(`soak (${SOAK_SECONDS}s per adapter)\n${figures.join('\n')}`);
});

describe.each(fixtures)('soak: $name', (fixture) => {
  it(
    `serves every request or answers a clean 503 for ${SOAK_SECONDS}s of flipping faults, then heals`,
    async () => {
      const resourcesBefore = activeResources();
      const registry = new BreakerRegistry();
      const soak = soakHandler(DELAYS);
      let maxProbesSeen = 0;
      let negativeInFlight = 0;
      const onProbe = registry.onProbe((event) => {
        maxProbesSeen = Math.max(maxProbesSeen, event.inFlight);
      });
      const app = await fixture.createApp({
        routes: [
          { method: 'GET', path: '/work', handler: soak.handler, guard: { ...BREAKER, registry } },
        ],
      });
      // snapshots taken between requests: probes in flight and in-flight counts from the outside
      const watcher = setInterval(() => {
        for (const breaker of registry.snapshot().breakers) {
          maxProbesSeen = Math.max(maxProbesSeen, breaker.halfOpen.probesInFlight);
          if (breaker.inFlight < 0) negativeInFlight++;
        }
      }, 5);
      const memory = memorySampler(250, 100_000);
      const started = Date.now();
      const until = started + SOAK_SECONDS * 1000;
      const load = await runLoad({
        base: app.url,
        path: '/work',
        concurrency: 32,
        until,
        maxRequests: SOAK_SECONDS * 50_000,
        nextMode: () => PHASES[Math.floor((Date.now() - started) / PHASE_MS) % PHASES.length]!(),
        abortRate: 0.05,
        hangMs: 5000,
      });
      const samples = memory.stop();

      // trip it once more (failing requests until it opens), then heal: healthy traffic until it closes
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      const breakerOf = () => registry.list()[0]!;
      for (let i = 0; i < 100 && breakerOf().state === 'closed'; i++)
        await shoot({ base: app.url, path: '/work', mode: 'status500', agent, hangMs: 2000 });
      const trippedBeforeHeal = breakerOf().state;
      const healStart = Date.now();
      let healRequests = 0;
      const healLost: string[] = [];
      do {
        const batch = await Promise.all(
          Array.from({ length: 4 }, () =>
            shoot({ base: app.url, path: '/work', mode: 'ok', agent, hangMs: 2000 }),
          ),
        );
        healRequests += batch.length;
        for (const finished of batch)
          if (finished.outcome !== 'ok' && finished.outcome !== 'rejected')
            healLost.push(finished.detail);
        if (breakerOf().state !== 'closed') await new Promise((r) => setTimeout(r, 10));
      } while (breakerOf().state !== 'closed' && Date.now() - healStart < HEAL_BOUND_MS * 4);
      const healedInMs = Date.now() - healStart;
      const finalState = breakerOf().state;
      agent.destroy();

      clearInterval(watcher);
      onProbe.dispose();
      await soak.drained(2000);
      const totals = breakerOf().snapshot().totals;
      const inFlightAfter = breakerOf().inFlight;
      await app.close();
      for (const breaker of registry.list()) breaker.close();
      await new Promise((r) => setTimeout(r, 50));
      const leaks = leakedResources(resourcesBefore, activeResources());

      const heap = thirds(samples.map((s) => s.heapUsed));
      const rss = thirds(samples.map((s) => s.rss));
      const mb = (n: number) => (n / MiB(1)).toFixed(1);
      figures.push(
        `${fixture.name}: sent ${load.sent} (${JSON.stringify(load.tally)}), ` +
          `healed in ${healedInMs} ms, probes max ${maxProbesSeen}, breaker totals ${JSON.stringify(totals)}, ` +
          `heap ${mb(heap.first)}→${mb(heap.last)} MiB, rss ${mb(rss.first)}→${mb(rss.last)} MiB ` +
          `(${samples.length} samples)`,
      );

      expect(load.lost, 'requests lost').toEqual([]);
      expect(healLost, 'requests lost while healing').toEqual([]);
      expect(load.tally.ok).toBeGreaterThan(0);
      expect(load.tally.rejected).toBeGreaterThan(0);
      expect(load.tally.failed).toBeGreaterThan(0);
      expect(load.tally['server-abort']).toBeGreaterThan(0);
      expect(trippedBeforeHeal).toBe('open');
      expect(finalState).toBe('closed');
      expect(healedInMs).toBeLessThanOrEqual(HEAL_BOUND_MS);
      expect(maxProbesSeen).toBeLessThanOrEqual(BREAKER.halfOpenMaxCalls);
      expect(negativeInFlight).toBe(0);
      expect(inFlightAfter).toBe(0);
      expect(soak.pending()).toBe(0);
      expect(
        grows(
          samples.map((s) => s.heapUsed),
          1.5,
          MiB(24),
        ),
        'heap growth',
      ).toBe(false);
      expect(
        grows(
          samples.map((s) => s.rss),
          1.5,
          MiB(64),
        ),
        'rss growth',
      ).toBe(false);
      expect(leaks, 'live handles after close').toEqual([]);
      expect(healRequests).toBeGreaterThan(0);
    },
    SOAK_SECONDS * 1000 + 30_000,
  );
});
