// Runs the story: a profile service that goes slow and fails, an API guarded by Breakwater, a client that backs off.

import { createFetch, isShortCircuit } from '@breakwater/client';
import { BreakerRegistry, type BreakerStore, type StateChangeEvent } from '@breakwater/core';
import type { ApiConfig, RunningApi } from './api/api-config.js';
import { startExpressApi } from './api/express-api.js';
import { startFastifyApi } from './api/fastify-api.js';
import { startKoaApi } from './api/koa-api.js';
import { startProfileService } from './profile-service.js';
import { phaseAt, storyLength, type Phase } from './timeline.js';

/** The frameworks the demo API can run on. */
export type Framework = 'express' | 'koa' | 'fastify';

/** How to run the demo. */
export interface DemoOptions {
  readonly framework: Framework;
  /** 1 for the real-time story (~18 s); smaller for a faster run. */
  readonly scale: number;
  /** When set, two API replicas share breaker state through this Redis. */
  readonly redisUrl?: string;
  /** Where each timeline line goes. */
  readonly write: (line: string) => void;
  /** Replica A's registry (e.g. one a dashboard watches); its breakers are closed when the run ends. */
  readonly registry?: BreakerRegistry;
}

/** A transition as the demo saw it. */
export interface SeenTransition {
  readonly replica: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** What happened, counted. */
export interface DemoSummary {
  fresh: number;
  cached: number;
  rejected: number;
  backedOff: number;
  failed: number;
  transitions: SeenTransition[];
}

const starters: Record<Framework, (config: ApiConfig) => Promise<RunningApi>> = {
  express: startExpressApi,
  koa: startKoaApi,
  fastify: startFastifyApi,
};

type Outcome = 'fresh' | 'cached' | 'rejected' | 'backedOff' | 'failed';

/** Runs the whole story once and resolves with its summary; every server it started is closed. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { scale, write } = options;
  const started = performance.now();
  const stamp = (): string => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  const summary: DemoSummary = {
    fresh: 0,
    cached: 0,
    rejected: 0,
    backedOff: 0,
    failed: 0,
    transitions: [],
  };
  const cleanups: (() => Promise<void> | void)[] = [];

  try {
    const upstream = await startProfileService(1500 * scale);
    cleanups.push(() => upstream.close());
    const replicaNames = options.redisUrl ? ['A', 'B'] : ['A'];
    const apis: RunningApi[] = [];
    const registries: BreakerRegistry[] = [];
    for (const replica of replicaNames) {
      const given = replica === 'A' ? options.registry : undefined;
      const registry = given ?? new BreakerRegistry();
      registries.push(registry);
      const listening = registry.onStateChange((event: StateChangeEvent) => {
        summary.transitions.push({ replica, from: event.from, to: event.to, reason: event.reason });
        const reopen = event.reopenAt
          ? `; admits a probe in ${Math.max(0, event.reopenAt - Date.now()) / 1000} s`
          : '';
        const who = replicaNames.length > 1 ? ` on replica ${replica}` : '';
        write(
          `${stamp()}  ⚡ breaker "${event.breaker}"${who}: ${event.from} → ${event.to} (${event.reason})${reopen}`,
        );
      });
      cleanups.push(() => {
        listening.dispose();
        if (given) for (const breaker of given.list()) breaker.close();
      });
      const store = options.redisUrl
        ? await redisStore(options.redisUrl, registry, cleanups)
        : undefined;
      const api = await starters[options.framework]({
        upstream: upstream.url,
        upstreamTimeout: Math.max(50, 300 * scale),
        openDuration: Math.max(200, 3000 * scale),
        registry,
        ...(store ? { store } : {}),
      });
      cleanups.push(() => api.close());
      apis.push(api);
    }

    // The client backs off from the scope the server declares (`GET,HEAD /profiles/:id`); where a
    // server declares none, it would fall back to one scope per profile URL. Every other request
    // comes from a plain client that never backs off, so the cached fallback shows while open.
    const clientFetch = createFetch({ scope: 'origin+path-prefix', pathPrefix: 2 });
    write(
      `${stamp()}  API on ${options.framework} at ${apis.map((a) => a.url).join(' and ')}; profile service at ${upstream.url}`,
    );

    const replicaB = apis[1]?.url;
    const tick = Math.max(20, 100 * scale);
    const report = Math.max(250, 1000 * scale);
    const length = storyLength(scale);
    const window: Record<Outcome, number> = {
      fresh: 0,
      cached: 0,
      rejected: 0,
      backedOff: 0,
      failed: 0,
    };
    let lastRetryAfter = '';
    let phase: Phase | undefined;
    let sent = 0;
    let lastReport = performance.now();
    const inFlight = new Set<Promise<void>>();

    const flush = (): void => {
      const parts = (Object.keys(window) as Outcome[])
        .filter((k) => window[k] > 0)
        .map(
          (k) =>
            `${label(k)} ${window[k]}${k === 'rejected' && lastRetryAfter ? ` (Retry-After ${lastRetryAfter}s)` : ''}`,
        );
      if (parts.length > 0) write(`${stamp()}     ${parts.join(' · ')}`);
      for (const k of Object.keys(window) as Outcome[]) window[k] = 0;
    };

    for (;;) {
      const elapsed = performance.now() - started;
      const now = phaseAt(elapsed, scale);
      if (now === undefined) break;
      if (now !== phase) {
        flush();
        if (phase?.name === 'healthy') {
          // The breakers watched the healthy phase in shadow mode; from here on they enforce.
          for (const registry of registries) registry.get('profiles')?.setMode('enforce');
          write(
            `${stamp()}  ── enforce: breaker "profiles" leaves shadow mode and starts refusing`,
          );
        }
        phase = now;
        write(`${stamp()}  ── ${now.name}: ${now.caption}`);
        upstream.setHealth(now.health);
      }
      // Known profiles 1–3 are fetched from the start (and cached); 4 and 5 appear later (never cached).
      const id = phase.name === 'healthy' ? (sent % 3) + 1 : (sent % 5) + 1;
      sent++;
      const viaClient = sent % 2 === 0;
      const request = (async () => {
        const outcome = await send(
          viaClient ? clientFetch : fetch,
          `${apis[0]!.url}/profiles/${id}`,
          (s) => (lastRetryAfter = s),
        );
        window[outcome]++;
        summary[outcome]++;
      })();
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      if (performance.now() - lastReport >= report) {
        flush();
        lastReport = performance.now();
      }
      if (
        apis.length > 1 &&
        replicaB !== undefined &&
        phase.name === 'failing' &&
        summary.transitions.some((t) => t.replica === 'B' && t.to === 'open')
      ) {
        // Replica B has had no traffic at all: show that it answers from the shared state.
        const response = await fetch(`${apis[1]!.url}/profiles/9`);
        write(
          `${stamp()}  replica B, which saw no failure itself, answers ${response.status} (${response.headers.get('x-circuit-breaker-state')})`,
        );
        await response.arrayBuffer();
        apis.length = 1;
      }
      await new Promise((resolve) => setTimeout(resolve, tick));
      if (elapsed > length) break;
    }
    await Promise.allSettled([...inFlight]);
    flush();
    if (registries.length > 1) await forcedOpenScene(registries, replicaB, stamp, write);
    write(
      `${stamp()}  summary: ${summary.fresh} fresh, ${summary.cached} from cache, ${summary.rejected} rejected with 503, ` +
        `${summary.backedOff} never sent (client backed off), ${summary.failed} failed; ` +
        `transitions: ${summary.transitions.map((t) => `${t.from}→${t.to}`).join(', ') || 'none'}`,
    );
    return summary;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

function label(outcome: Outcome): string {
  return {
    fresh: '200 fresh',
    cached: '200 from cache',
    rejected: '503 rejected',
    backedOff: 'not sent (client backing off)',
    failed: '5xx from the API',
  }[outcome];
}

async function send(
  clientFetch: typeof fetch,
  url: string,
  onRetryAfter: (s: string) => void,
): Promise<Outcome> {
  try {
    const response = await clientFetch(url);
    await response.arrayBuffer();
    if (isShortCircuit(response)) return 'backedOff';
    if (response.status === 200) return response.headers.get('cache-status') ? 'cached' : 'fresh';
    if (response.status === 503 && response.headers.get('x-circuit-breaker-state')) {
      onRetryAfter(response.headers.get('retry-after') ?? '');
      return 'rejected';
    }
    return 'failed';
  } catch {
    return 'failed';
  }
}

/**
 * With two replicas: an operator force-opens "profiles" on replica A (maintenance), replica B
 * follows through Redis, then the operator releases it fleet-wide.
 */
async function forcedOpenScene(
  registries: readonly BreakerRegistry[],
  replicaB: string | undefined,
  stamp: () => string,
  write: (line: string) => void,
): Promise<void> {
  const [a, b] = registries.map((registry) => registry.get('profiles'));
  if (a === undefined || b === undefined || replicaB === undefined) return;
  const follows = async (state: string): Promise<boolean> => {
    for (let i = 0; i < 100 && b.state !== state; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return b.state === state;
  };
  write(`${stamp()}  ── maintenance: an operator force-opens "profiles" on replica A`);
  a.forceOpen({ by: 'demo operator' });
  if (await follows('forced-open')) {
    const response = await fetch(`${replicaB}/profiles/1`);
    const problem = (await response.json()) as { type?: string };
    write(
      `${stamp()}     replica B follows: answers ${response.status} (${problem.type ?? 'no problem type'})`,
    );
  }
  a.reset({ by: 'demo operator' });
  if (await follows('closed')) write(`${stamp()}     released on A: replica B is closed again`);
}

async function redisStore(
  url: string,
  registry: BreakerRegistry,
  cleanups: (() => Promise<void> | void)[],
): Promise<BreakerStore> {
  const [{ Redis }, { RedisStore, RedisAdminSync }] = await Promise.all([
    import('ioredis'),
    import('@breakwater/redis'),
  ]);
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const prefix = `breakwater-demo:${process.pid}:`;
  const store = new RedisStore({ client, prefix });
  // Operator actions (force-open, reset, mode) reach every replica too.
  const sync = new RedisAdminSync({ client, prefix, registry });
  await sync.ready;
  cleanups.push(async () => {
    await sync.close();
    await store.close();
    client.disconnect();
  });
  return store;
}
