// The key flood: distinct paths and tenant header values against keyed breakers, counting what the registry holds.

import { BreakerRegistry } from '@breakwater/core';
import { Agent, get as httpGet } from 'node:http';
import type { Fixture, GuardSpec, RequestView } from '../conformance/fixtures/index.js';
import { sampleMemory } from './process-health.js';

/** What one flood saw. */
export interface FloodResult {
  /** Requests answered with an expected status and a state header. */
  readonly served: number;
  /** The first few requests that were not. */
  readonly odd: readonly string[];
  /** The largest registry size seen (sampled every 500 requests and at the end). */
  readonly maxSize: number;
  /** Heap in use (after a forced gc) before and after the flood. */
  readonly heapBefore: number;
  readonly heapAfter: number;
}

/**
 * Sends `keys` requests over 32 keep-alive connections to a guard keyed with `maxBreakers`: odd
 * ones to a failing route, each with its own tenant header (its breaker opens); even ones to a
 * fresh path each. Closes what it opened.
 */
export async function floodKeys(
  fixture: Fixture,
  { keys, maxBreakers }: { keys: number; maxBreakers: number },
): Promise<FloodResult> {
  const registry = new BreakerRegistry();
  const guard: GuardSpec = {
    registry,
    name: 'flood',
    failureThreshold: 1,
    maxBreakers,
    key: (request: RequestView) =>
      request.path === '/fail' ? `tenant:${String(request.headers['x-tenant'])}` : request.path,
  };
  const app = await fixture.createApp({
    options: guard,
    routes: [
      { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) },
      // a parameter route where the framework has them (plain Koa answers 404, still guarded)
      { method: 'GET', path: '/p/:id', handler: () => ({ status: 200, body: 'ok' }) },
    ],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const heapBefore = sampleMemory().heapUsed;
  const odd: string[] = [];
  let served = 0;
  let next = 0;
  let maxSize = 0;
  const worker = async (): Promise<void> => {
    while (next < keys) {
      const i = next++;
      const path = i % 2 === 1 ? '/fail' : `/p/${i}${'x'.repeat(i % 90)}`;
      const result = await new Promise<{ status: number; state: unknown }>((resolve) => {
        const req = httpGet(
          `${app.url}${path}`,
          { agent, headers: { 'x-tenant': `${i}-${'v'.repeat(i % 100)}` } },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                state: res.headers['x-circuit-breaker-state'],
              }),
            );
            res.on('error', (error) => resolve({ status: 0, state: error.message }));
          },
        );
        req.on('error', (error) => resolve({ status: 0, state: error.message }));
      });
      if (![200, 404, 500, 503].includes(result.status) || typeof result.state !== 'string') {
        if (odd.length < 10) odd.push(`${path}: ${result.status} ${String(result.state)}`);
      } else served++;
      if (i % 500 === 0) maxSize = Math.max(maxSize, registry.size);
    }
  };
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
    maxSize = Math.max(maxSize, registry.size);
    return { served, odd, maxSize, heapBefore, heapAfter: sampleMemory().heapUsed };
  } finally {
    agent.destroy();
    await app.close();
    for (const breaker of registry.list()) breaker.close();
  }
}
