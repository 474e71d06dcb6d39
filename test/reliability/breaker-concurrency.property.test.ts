// Property test: long interleavings of many permits, random settle order and timeouts, checked against invariants.

import { CircuitBreaker, ManualClock, type Permit } from '@breakwater/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
/**
 * The test's time limit grows with the runs asked for: one run (up to 400 steps) took 1.3 ms on a
 * quiet 2-core machine and 2.5 ms on a busy one, so 10 ms per run leaves room; a hang still fails.
 */
const TIMEOUT_MS = 20_000 + RUNS * 10;

type Op =
  | { kind: 'acquire'; count: number }
  | { kind: 'settle'; pick: number; verdict: 'success' | 'failure' | 'ignore' | 'status' }
  | { kind: 'settle-all'; seed: number; verdict: 'success' | 'failure' | 'ignore' }
  | { kind: 'advance'; ms: number };

const settingsArb = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 4 }),
  openDuration: fc.integer({ min: 10, max: 200 }),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 4 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
  timeout: fc.option(fc.integer({ min: 5, max: 300 }), { nil: undefined }),
  backoff: fc.integer({ min: 1, max: 4 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('acquire' as const),
      count: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      verdict: fc.constantFrom(
        'success' as const,
        'failure' as const,
        'ignore' as const,
        'status' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settle-all' as const),
      seed: fc.nat(),
      verdict: fc.constantFrom('success' as const, 'failure' as const, 'ignore' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 320 }),
    }),
  },
);

describe('breaker under interleaved permits (property)', () => {
  it(
    'keeps inFlight = admitted - settled, probes within halfOpenMaxCalls, and never sticks half-open',
    () => {
      fc.assert(
        fc.property(settingsArb, fc.array(opArb, { minLength: 20, maxLength: 400 }), (s, ops) => {
          const clock = new ManualClock(1000);
          const breaker = new CircuitBreaker({
            registry: false,
            clock,
            failureThreshold: s.failureThreshold,
            openDuration: s.openDuration,
            maxOpenDuration: s.openDuration * s.backoff,
            halfOpenMaxCalls: s.halfOpenMaxCalls,
            successThreshold: s.successThreshold,
            timeout: s.timeout,
          });
          let probeEventMax = 0;
          breaker.onProbe((event) => (probeEventMax = Math.max(probeEventMax, event.inFlight)));
          const issued: Permit[] = [];
          let live: Permit[] = [];

          const check = (where: string): void => {
            live = live.filter((p) => !p.settled); // timeouts settle permits behind our back
            const settled = issued.length - live.length;
            expect(breaker.inFlight, where).toBeGreaterThanOrEqual(0);
            expect(breaker.inFlight, where).toBe(issued.length - settled);
            const snapshot = breaker.snapshot();
            expect(snapshot.halfOpen.probesInFlight, where).toBeLessThanOrEqual(s.halfOpenMaxCalls);
            const currentProbes = live.filter(
              (p) => p.probe && p.generation === breaker.generation,
            ).length;
            if (breaker.state === 'half-open') {
              expect(currentProbes, where).toBe(snapshot.halfOpen.probesInFlight);
            }
            expect(probeEventMax, where).toBeLessThanOrEqual(s.halfOpenMaxCalls);
          };

          const settle = (permit: Permit, verdict: 'success' | 'failure' | 'ignore' | 'status') => {
            if (verdict === 'success') permit.success();
            else if (verdict === 'failure') permit.failure();
            else if (verdict === 'ignore') permit.ignore();
            else permit.record({ status: permit.generation % 2 === 0 ? 503 : 200 });
          };

          ops.forEach((op, step) => {
            const where = `step ${step} ${JSON.stringify(op)}`;
            switch (op.kind) {
              case 'acquire':
                for (let i = 0; i < op.count; i++) {
                  const halfOpenAndFree =
                    breaker.state === 'half-open' &&
                    breaker.snapshot().halfOpen.probesInFlight < s.halfOpenMaxCalls;
                  const result = breaker.tryAcquire();
                  // a half-open breaker with a free slot must admit: that is what keeps it from sticking
                  if (halfOpenAndFree) expect(result.admitted, where).toBe(true);
                  if (result.admitted) {
                    issued.push(result);
                    live.push(result);
                  } else expect(result.retryAfterMs, where).toBeGreaterThanOrEqual(0);
                }
                break;
              case 'settle':
                if (live.length > 0) settle(live[op.pick % live.length]!, op.verdict);
                break;
              case 'settle-all': {
                // random settle order
                const order = [...live].sort(
                  (a, b) =>
                    ((issued.indexOf(a) * 7919 + op.seed) % 101) -
                    ((issued.indexOf(b) * 7919 + op.seed) % 101),
                );
                for (const permit of order) settle(permit, op.verdict);
                break;
              }
              case 'advance':
                clock.advance(op.ms);
                break;
            }
            check(where);
          });

          // heal: settle what is left, then healthy calls must close it within the longest open time plus one probe round
          for (const permit of live) permit.ignore();
          check('after settling the rest');
          clock.advance(s.openDuration * s.backoff);
          for (let round = 0; round < s.successThreshold; round++) {
            const permit = breaker.tryAcquire();
            expect(permit.admitted, `heal round ${round} in ${breaker.state}`).toBe(true);
            if (permit.admitted) permit.success();
          }
          expect(breaker.state).toBe('closed');
          expect(breaker.inFlight).toBe(0);
          breaker.close();
          expect(clock.pendingTimers).toBe(0);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
