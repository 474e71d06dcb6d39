// Property test: random schedules of acquire, settle, ignore, timeout and clock advances against a reference model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { Permit } from './permit.js';

interface Settings {
  failureThreshold: number;
  openDuration: number;
  maxOpenDuration: number;
  halfOpenMaxCalls: number;
  successThreshold: number;
  timeout: number | undefined;
}

interface ModelPermit {
  id: number;
  generation: number;
  startedAt: number;
  probe: boolean;
  settled: boolean;
}

type Verdict = 'success' | 'failure' | 'ignore' | 'timeout';

/** DESIGN.md's rules, written plainly and independently of the implementation. */
class Model {
  state: 'closed' | 'open' | 'half-open' = 'closed';
  generation = 0;
  reopenAt = 0;
  failedProbeRounds = 0;
  consecutiveFailures = 0;
  probeSuccesses = 0;
  probes: ModelPermit[] = [];
  permits: ModelPermit[] = [];
  private nextId = 0;

  constructor(readonly s: Settings) {}

  private enter(state: Model['state'], now: number): void {
    this.state = state;
    this.generation++;
    this.probes = [];
    this.probeSuccesses = 0;
    if (state === 'open') {
      this.reopenAt =
        now + Math.min(this.s.openDuration * 2 ** this.failedProbeRounds, this.s.maxOpenDuration);
    }
    if (state === 'closed') {
      this.failedProbeRounds = 0;
      this.consecutiveFailures = 0;
    }
  }

  refresh(now: number): void {
    if (this.state === 'open' && now >= this.reopenAt) this.enter('half-open', now);
    if (this.state === 'half-open') {
      const hung = this.probes.find((p) => now - p.startedAt >= this.s.openDuration);
      if (hung) this.settle(hung, 'timeout', now);
    }
  }

  acquire(
    now: number,
  ): { admitted: true; permit: ModelPermit } | { admitted: false; retryAfterMs: number } {
    this.refresh(now);
    if (this.state === 'open') return { admitted: false, retryAfterMs: this.reopenAt - now };
    const probe = this.state === 'half-open';
    if (probe && this.probes.length >= this.s.halfOpenMaxCalls)
      return { admitted: false, retryAfterMs: -1 };
    const permit = {
      id: this.nextId++,
      generation: this.generation,
      startedAt: now,
      probe,
      settled: false,
    };
    this.permits.push(permit);
    if (probe) this.probes.push(permit);
    return { admitted: true, permit };
  }

  settle(permit: ModelPermit, verdict: Verdict, now: number): void {
    if (permit.settled) return;
    permit.settled = true;
    if (permit.generation !== this.generation) return;
    if (permit.probe) {
      this.probes = this.probes.filter((p) => p !== permit);
      if (verdict === 'ignore') return;
      if (verdict === 'success') {
        this.probeSuccesses++;
        if (this.probeSuccesses >= this.s.successThreshold) this.enter('closed', now);
      } else {
        this.failedProbeRounds++;
        this.enter('open', now);
      }
      return;
    }
    if (verdict === 'ignore') return;
    if (verdict === 'success') {
      this.consecutiveFailures = 0;
      return;
    }
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.s.failureThreshold) {
      this.failedProbeRounds = 0;
      this.enter('open', now);
    }
  }

  /** Moves time forward, expiring timed-out permits at their own deadlines, in order. */
  advance(from: number, to: number): void {
    const timeout = this.s.timeout;
    if (timeout === undefined) return;
    for (;;) {
      const due = this.permits
        .filter((p) => !p.settled && p.startedAt + timeout <= to)
        .sort((a, b) => a.startedAt - b.startedAt || a.id - b.id)[0];
      if (!due) return;
      this.settle(due, 'timeout', Math.max(from, due.startedAt + timeout));
    }
  }
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
/**
 * The test's time limit grows with the runs asked for: one run (up to 300 steps) took about 1 ms on
 * this 2-core machine at a load average of 13, so 4 ms per run leaves room and a hang still fails.
 */
const TIMEOUT_MS = 20_000 + RUNS * 4;

type Step =
  | { kind: 'acquire' }
  | { kind: 'settle'; index: number; verdict: 'success' | 'failure' | 'ignore' }
  | { kind: 'advance'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Step>({ kind: 'acquire' }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      index: fc.nat(30),
      verdict: fc.constantFrom('success' as const, 'failure' as const, 'ignore' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 700 }),
    }),
  },
);

const settingsArb: fc.Arbitrary<Settings> = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    openDuration: fc.integer({ min: 100, max: 1000 }),
    extra: fc.integer({ min: 0, max: 3000 }),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    timeout: fc.option(fc.integer({ min: 50, max: 1500 }), { nil: undefined }),
  })
  .map(({ extra, ...s }) => ({ ...s, maxOpenDuration: s.openDuration + extra }));

describe('CircuitBreaker against its model', () => {
  it(
    'agrees with the model on every decision, never exceeds halfOpenMaxCalls and never sticks in half-open',
    () => {
      fc.assert(
        fc.property(
          settingsArb,
          fc.array(stepArb, { minLength: 1, maxLength: 300 }),
          (settings, steps) => {
            const clock = new ManualClock(10_000);
            const breaker = new CircuitBreaker({ registry: false, clock, ...settings });
            const model = new Model(settings);
            const real: Permit[] = [];
            const modelled: ModelPermit[] = [];

            for (const step of steps) {
              const now = clock.now();
              if (step.kind === 'acquire') {
                const got = breaker.tryAcquire();
                const want = model.acquire(now);
                expect(got.admitted).toBe(want.admitted);
                if (got.admitted && want.admitted) {
                  expect(got.probe).toBe(want.permit.probe);
                  real.push(got);
                  modelled.push(want.permit);
                } else if (!got.admitted && !want.admitted && want.retryAfterMs >= 0) {
                  expect(got.retryAfterMs).toBe(want.retryAfterMs);
                }
              } else if (step.kind === 'settle') {
                if (real.length === 0) continue;
                const i = step.index % real.length;
                const permit = real[i]!;
                if (step.verdict === 'success') permit.success();
                else if (step.verdict === 'failure') permit.failure();
                else permit.ignore();
                model.settle(modelled[i]!, step.verdict, now);
              } else {
                clock.advance(step.ms);
                model.advance(now, clock.now());
              }
              model.refresh(clock.now());
              expect(breaker.state).toBe(model.state);
              expect(breaker.generation).toBe(model.generation);
              const snapshot = breaker.snapshot();
              expect(snapshot.halfOpen.probesInFlight).toBe(model.probes.length);
              expect(snapshot.halfOpen.probesInFlight).toBeLessThanOrEqual(
                settings.halfOpenMaxCalls,
              );
              expect(breaker.inFlight).toBe(modelled.filter((p) => !p.settled).length);
            }

            // Liveness: left alone for openDuration, a half-open breaker has no probe in flight.
            clock.advance(settings.openDuration);
            const state = breaker.state;
            expect(state === 'half-open' && breaker.snapshot().halfOpen.probesInFlight > 0).toBe(
              false,
            );
            // And once nothing is left in flight, healthy traffic closes it within bounded time.
            for (const permit of real) permit.ignore();
            clock.advance(settings.maxOpenDuration);
            for (let i = 0; i < settings.successThreshold; i++) {
              const permit = breaker.tryAcquire();
              expect(permit.admitted).toBe(true);
              if (permit.admitted) permit.success();
            }
            expect(breaker.state).toBe('closed');
            breaker.close();
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
