// The flipping-faults scenario: one adapter under concurrent load while its handler flips between healthy, slow, failing, hanging and aborting, then trip and heal.

import { BreakerRegistry, type BreakerSnapshot } from '@breakwater/core';
import { Agent } from 'node:http';
import type { Fixture } from '../conformance/fixtures/index.js';
import {
  emptyTally,
  MODES,
  runLoad,
  shoot,
  type Finished,
  type Mode,
  type Outcome,
  type Tally,
} from './load.js';
import {
  activeResources,
  leakedResources,
  memorySampler,
  type MemorySample,
} from './process-health.js';
import { soakHandler } from './soak-handler.js';

/** The breaker every run guards its route with. */
export const BREAKER = {
  failureThreshold: 5,
  openDuration: 200,
  maxOpenDuration: 400,
  halfOpenMaxCalls: 2,
  successThreshold: 2,
  timeout: 100,
} as const;
/** Allowed time from "handler healed" to closed: the longest open duration plus one probe round. */
export const HEAL_BOUND_MS = BREAKER.maxOpenDuration + 150;

const DELAYS = { slowMs: 40, hangMs: BREAKER.timeout + 50 };
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

/**
 * How long the load runs: a number of requests per phase (one pass over the phases, healing to
 * closed after each), or seconds of phases 400 ms long that follow each other without a pause.
 */
export type Length =
  | { readonly requestsPerPhase: number; readonly seconds?: never }
  | { readonly seconds: number; readonly requestsPerPhase?: never };

/** Options of {@link runFlippingFaults}. */
export interface FlippingFaultsOptions {
  readonly length: Length;
  readonly concurrency: number;
  /** Give up healing after this long (the loop's bound, not an assertion). */
  readonly healCapMs: number;
  /** Sample heap and RSS every 250 ms during the load. */
  readonly sampleMemory?: boolean;
}

/** What one run saw. */
export interface FlippingFaultsResult {
  readonly sent: number;
  readonly tally: Tally;
  readonly lost: readonly Finished[];
  readonly healLost: readonly string[];
  readonly healRequests: number;
  readonly trippedBeforeHeal: string;
  readonly finalState: string;
  readonly healedInMs: number;
  readonly maxProbesSeen: number;
  readonly negativeInFlight: number;
  readonly inFlightAfter: number;
  readonly pendingAfter: number;
  readonly totals: BreakerSnapshot['totals'];
  readonly leaks: readonly string[];
  readonly samples: readonly MemorySample[];
}

const PHASE_MS = 400;

/** Runs the scenario against one fixture and closes everything it opened. */
export async function runFlippingFaults(
  fixture: Fixture,
  options: FlippingFaultsOptions,
): Promise<FlippingFaultsResult> {
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
  const memory = options.sampleMemory ? memorySampler(250, 100_000) : undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const breakerOf = () => registry.list()[0]!;
  let healRequests = 0;
  const healLost: string[] = [];
  /** Healthy traffic until the breaker is closed (or `healCapMs` has passed); returns how long it took. */
  const heal = async (): Promise<number> => {
    const healStart = Date.now();
    while (breakerOf().state !== 'closed' && Date.now() - healStart < options.healCapMs) {
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
    }
    return Date.now() - healStart;
  };

  const { length } = options;
  const load = { sent: 0, tally: emptyTally(), lost: [] as Finished[] };
  const add = (part: { sent: number; tally: Tally; lost: Finished[] }): void => {
    load.sent += part.sent;
    for (const outcome of Object.keys(load.tally) as Outcome[])
      load.tally[outcome] += part.tally[outcome];
    load.lost.push(...part.lost);
  };
  const common = {
    base: app.url,
    path: '/work',
    concurrency: options.concurrency,
    abortRate: 0.05,
    hangMs: 5000,
  };
  if (length.requestsPerPhase !== undefined) {
    // one pass over the phases, each from a closed breaker: a phase's faults always reach the handler
    for (const phase of PHASES) {
      add(
        await runLoad({
          ...common,
          until: Date.now() + 30_000,
          maxRequests: length.requestsPerPhase,
          nextMode: phase,
        }),
      );
      await soak.drained(2000);
      await heal();
    }
  } else {
    const started = Date.now();
    add(
      await runLoad({
        ...common,
        until: started + length.seconds * 1000,
        maxRequests: length.seconds * 50_000,
        nextMode: () => PHASES[Math.floor((Date.now() - started) / PHASE_MS) % PHASES.length]!(),
      }),
    );
  }
  const samples = memory?.stop() ?? [];

  // from closed (whatever state the load left), trip it once more, then time the heal
  await soak.drained(2000);
  await heal();
  for (let i = 0; i < 100 && breakerOf().state === 'closed'; i++)
    await shoot({ base: app.url, path: '/work', mode: 'status500', agent, hangMs: 2000 });
  const trippedBeforeHeal = breakerOf().state;
  const healRequestsBefore = healRequests;
  const healedInMs = await heal();
  const finalState = breakerOf().state;
  agent.destroy();

  clearInterval(watcher);
  onProbe.dispose();
  await soak.drained(2000);
  const totals = breakerOf().snapshot().totals;
  const inFlightAfter = breakerOf().inFlight;
  const pendingAfter = soak.pending();
  await app.close();
  for (const breaker of registry.list()) breaker.close();
  // let the closed sockets' handles go before counting what is left
  await new Promise((r) => setTimeout(r, 50));
  const leaks = leakedResources(resourcesBefore, activeResources());

  return {
    sent: load.sent,
    tally: load.tally,
    lost: load.lost,
    healLost,
    healRequests: healRequests - healRequestsBefore,
    trippedBeforeHeal,
    finalState,
    healedInMs,
    maxProbesSeen,
    negativeInFlight,
    inFlightAfter,
    pendingAfter,
    totals,
    leaks,
    samples,
  };
}
