// Soak (pnpm test:soak): HOSTILE_KEYS distinct keys per adapter and a long replay of hostile cached headers, with the heap bounded.

import { BreakerRegistry } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { send } from '../conformance/http-client.js';
import { http1Fixtures as fixtures } from '../conformance/fixtures/index.js';
import { getHostile, HOSTILE_HEADERS, hostileHeadersApp } from './hostile-headers.js';
import { floodKeys } from './key-flood.js';
import { checkRejection } from './load.js';
import { grows, memorySampler, MiB } from './process-health.js';

/** Distinct keys per adapter (`pnpm test:soak` sets 20,000 unless told otherwise: 100,000 over the five). */
const KEYS = Math.max(2000, Number(process.env.HOSTILE_KEYS ?? 20_000));
/** The keyed guard's `maxBreakers`. */
const MAX_BREAKERS = 1000;
/** Seconds of replaying the hostile kinds from an open breaker: a sixth of SOAK_SECONDS, 3 to 10. */
const REPLAY_SECONDS = Math.min(10, Math.max(3, Number(process.env.SOAK_SECONDS ?? 60) / 6));

describe.each(fixtures)('hostile input soak: $name', (fixture) => {
  it(
    `keeps at most maxBreakers keyed breakers and the heap within 48 MiB over ${KEYS} distinct paths and header values`,
    async () => {
      const flood = await floodKeys(fixture, { keys: KEYS, maxBreakers: MAX_BREAKERS });
      expect(flood.odd).toEqual([]);
      expect(flood.served).toBe(KEYS);
      expect(flood.maxSize).toBeLessThanOrEqual(MAX_BREAKERS);
      expect(flood.heapAfter - flood.heapBefore).toBeLessThan(MiB(48));
    },
    60_000 + KEYS * 5,
  );

  it(
    `serves hostile cached headers from an open breaker for ${REPLAY_SECONDS}s without heap growth`,
    async () => {
      const registry = new BreakerRegistry();
      const app = await hostileHeadersApp(fixture, registry);
      for (const kind of Object.keys(HOSTILE_HEADERS)) await getHostile(app, kind);
      await send(app.url, '/fail');
      await send(app.url, '/fail');
      expect(registry.get('hostile')?.state).toBe('open');
      const memory = memorySampler(250, 100_000);
      const wrong: string[] = [];
      const until = Date.now() + REPLAY_SECONDS * 1000;
      let rounds = 0;
      for (; rounds < 100_000 && Date.now() < until; rounds++) {
        for (const kind of Object.keys(HOSTILE_HEADERS)) {
          const res = await getHostile(app, kind);
          const problem =
            res.status === 503
              ? checkRejection(res)
              : res.status !== 200 || res.headers['x-circuit-breaker-state'] !== 'open'
                ? `status ${res.status}, state ${String(res.headers['x-circuit-breaker-state'])}`
                : undefined;
          if (problem !== undefined && wrong.length < 10) wrong.push(`${kind}: ${problem}`);
        }
      }
      const samples = memory.stop();
      await app.close();
      registry.get('hostile')?.close();
      console.info(
        `hostile headers, ${fixture.name}: ${rounds} rounds, ${samples.length} memory samples`,
      );
      expect(wrong).toEqual([]);
      expect(samples.length).toBeGreaterThanOrEqual(6);
      expect(
        grows(
          samples.map((s) => s.heapUsed),
          1.5,
          MiB(16),
        ),
        'heap growth',
      ).toBe(false);
    },
    REPLAY_SECONDS * 1000 + 60_000,
  );
});
