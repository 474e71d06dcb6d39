// Property test: long interleavings of many permits, random settle order and timeouts, checked against invariants.

import { CircuitBreaker, ManualClock, type Permit } from '@breakwater/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
/**
 * The test's time limit grows with the runs asked for: one run (up to 400 steps) took about 1 ms on
 * this 2-core machine at a load average of 13, so 5 ms per run leaves room and a hang still fails.
 */
const TIMEOUT_MS = 20_000 + RUNS * 5;

/** Throws when an invariant fails: far cheaper than `expect()` on each of the thousands of checks per run. */
function ensure(holds: boolean, what: () => string): void {
  if (!holds) throw new Error(what());
}

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

          const check = (where: () => string): void => {
            live = live.filter((p) => !p.settled); // timeouts settle permits behind our back
            const settled = issued.length - live.length;
            const { inFlight } = breaker;
            ensure(inFlight >= 0, () => `${where()}: inFlight ${inFlight} is negative`);
            ensure(
              inFlight === issued.length - settled,
              () =>
                `${where()}: inFlight ${inFlight}, admitted - settled ${issued.length - settled}`,
            );
            const probes = breaker.snapshot().halfOpen.probesInFlight;
            ensure(
              probes <= s.halfOpenMaxCalls,
              () =>
                `${where()}: ${probes} probes in flight, halfOpenMaxCalls ${s.halfOpenMaxCalls}`,
            );
            if (breaker.state === 'half-open') {
              const current = live.filter(
                (p) => p.probe && p.generation === breaker.generation,
              ).length;
              ensure(
                current === probes,
                () => `${where()}: ${current} live probes, snapshot says ${probes}`,
              );
            }
            ensure(
              probeEventMax <= s.halfOpenMaxCalls,
              () => `${where()}: a probe event saw ${probeEventMax} in flight`,
            );
          };

          const settle = (permit: Permit, verdict: 'success' | 'failure' | 'ignore' | 'status') => {
            if (verdict === 'success') permit.success();
            else if (verdict === 'failure') permit.failure();
            else if (verdict === 'ignore') permit.ignore();
            else permit.record({ status: permit.generation % 2 === 0 ? 503 : 200 });
          };

          ops.forEach((op, step) => {
            const where = () => `step ${step} ${JSON.stringify(op)}`;
            switch (op.kind) {
              case 'acquire':
                for (let i = 0; i < op.count; i++) {
                  const halfOpenAndFree =
                    breaker.state === 'half-open' &&
                    breaker.snapshot().halfOpen.probesInFlight < s.halfOpenMaxCalls;
                  const result = breaker.tryAcquire();
                  // a half-open breaker with a free slot must admit: that is what keeps it from sticking
                  ensure(
                    !halfOpenAndFree || result.admitted,
                    () => `${where()}: half-open with a free slot, yet rejected`,
                  );
                  if (result.admitted) {
                    issued.push(result);
                    live.push(result);
                  } else {
                    const { retryAfterMs } = result;
                    ensure(retryAfterMs >= 0, () => `${where()}: retryAfterMs ${retryAfterMs}`);
                  }
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
          check(() => 'after settling the rest');
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
