// The core-contract scenarios of the conformance suite (Retry-After, keys, eviction, forced-open, integer ms), for every fixture.

import {
  CircuitBreaker,
  healthSnapshot,
  readiness,
  type BreakerRegistry,
  type ManualClock,
} from '@breakwater/core';
import { describe, expect, it, vi } from 'vitest';
import type { AppSpec, Fixture, GuardSpec, Handler, RouteSpec } from './fixtures/index.js';
import { send, start, type Result } from './http-client.js';
import { gate, until } from './sync.js';

/** What the scenarios need from the suite around them (the same shape as the cache scenarios'). */
export interface ContractHarness {
  readonly fixture: Fixture;
  clock(): ManualClock;
  registry(): BreakerRegistry;
  /** The suite's guard options (clock, registry, logger, failureThreshold 2, openDuration 10 s). */
  options(extra?: GuardSpec): GuardSpec;
  serve(spec: AppSpec): Promise<string>;
}

/** The open duration the suite's options set. */
const OPEN_MS = 10_000;

const FORCED_OPEN_TYPE = 'urn:breakwater:problem:circuit-forced-open';
const OPEN_TYPE = 'urn:breakwater:problem:circuit-open';

/** A fresh logger whose warnings a scenario reads. */
function recordingLogger() {
  return { warn: vi.fn<(message: string) => void>(), error: vi.fn<(message: string) => void>() };
}

function problem(res: Result): Record<string, unknown> {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
  return JSON.parse(res.body) as Record<string, unknown>;
}

export function contractScenarios(h: ContractHarness): void {
  /** One app-level guard named `app` over `GET /r` (answers `behave`) and `GET /fail` (500). */
  function app(extra: GuardSpec, behave: Handler = () => ({ status: 200, body: 'ok' })) {
    const routes: RouteSpec[] = [
      { method: 'GET', path: '/r', handler: behave },
      { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'boom' }) },
    ];
    return h.serve({ options: h.options({ name: 'app', ...extra }), routes });
  }

  async function trip(url: string, headers?: Record<string, string>): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await send(url, '/fail', { headers })).status).toBe(500);
  }

  describe('contract: Retry-After', () => {
    it('rounds the time left up, so right after a trip it is the whole open duration', async () => {
      const url = await app({});
      await trip(url);
      h.clock().advance(0.5);
      const res = await send(url, '/r');
      expect(res.headers['retry-after']).toBe(String(OPEN_MS / 1000));
      expect(problem(res).retryAfter).toBe(OPEN_MS / 1000);
      h.clock().advance(5_499.5); // 4.5 s left
      const later = await send(url, '/r');
      expect(later.headers['retry-after']).toBe('5');
      expect(problem(later).retryAfter).toBe(5);
    });

    it('admits a client that waits exactly Retry-After seconds, as the probe that closes the breaker', async () => {
      const url = await app({});
      await trip(url);
      h.clock().advance(1_234.5);
      const refused = await send(url, '/r');
      const seconds = Number(refused.headers['retry-after']);
      expect(seconds).toBe(9);
      h.clock().advance(seconds * 1000);
      const retried = await send(url, '/r');
      expect(retried.status).toBe(200);
      expect(retried.body).toBe('ok');
      expect(h.registry().get('app')!.state).toBe('closed');
    });

    it('while half-open with the probe slot taken, asks for 1 s and says half-open', async () => {
      const held = gate();
      let probes = 0;
      const url = await app({ halfOpenMaxCalls: 1 }, async () => {
        probes++;
        await held.promise;
        return { status: 200, body: 'ok' };
      });
      await trip(url);
      h.clock().advance(OPEN_MS);
      const probe = start(url, '/r');
      await until(() => probes === 1, 'the probe to reach its handler');
      const refused = await send(url, '/r');
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['x-circuit-breaker-state']).toBe('half-open');
      expect(problem(refused)).toMatchObject({ state: 'half-open', retryAfter: 1 });
      held.open();
      expect((await probe.response).status).toBe(200);
      expect((await send(url, '/r')).status).toBe(200);
    });
  });

  describe('contract: keys', () => {
    it('guards a 600-character key: the handler answers, and that key trips on its own', async () => {
      const logger = recordingLogger();
      const long = `tenant-${'x'.repeat(593)}`;
      const url = await app({ logger, key: (request) => String(request.headers['x-tenant']) });
      const res = await send(url, '/r', { headers: { 'x-tenant': long } });
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      expect(res.headers['x-circuit-breaker-state']).toBe('closed');
      const breaker = h
        .registry()
        .list()
        .find((b) => b.key === long)!;
      expect(breaker.name.length).toBeLessThanOrEqual(512);
      expect(breaker.name).toMatch(/~[0-9a-f]{16}$/);
      await trip(url, { 'x-tenant': long });
      expect((await send(url, '/r', { headers: { 'x-tenant': long } })).status).toBe(503);
      expect((await send(url, '/r', { headers: { 'x-tenant': 'other' } })).status).toBe(200);
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('guards a key whose <name>:<key> is already another breaker’s name, without a 500', async () => {
      const named = new CircuitBreaker({
        registry: h.registry(),
        clock: h.clock(),
        name: 'app:admin',
      });
      const url = await app({ key: () => 'admin' });
      const res = await send(url, '/r');
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      const keyed = h
        .registry()
        .list()
        .find((b) => b.key === 'admin')!;
      expect(keyed).not.toBe(named);
      expect(h.registry().get('app:admin')).toBe(named);
      await trip(url);
      expect((await send(url, '/r')).status).toBe(503);
      expect(named.state).toBe('closed');
    });
  });

  describe('contract: keyed eviction', () => {
    it('never evicts an open breaker; with the cap full of open ones a new key passes unguarded, logged once', async () => {
      const logger = recordingLogger();
      const url = await app({
        logger,
        maxBreakers: 2,
        key: (request) => String(request.headers['x-tenant']),
      });
      const as = (tenant: string) => ({ headers: { 'x-tenant': tenant } });
      await trip(url, as('a').headers);
      await trip(url, as('b').headers);
      for (const tenant of ['c', 'd']) {
        const res = await send(url, '/r', as(tenant));
        expect(res.status).toBe(200);
        expect(res.body).toBe('ok');
      }
      for (const tenant of ['a', 'b']) {
        const res = await send(url, '/r', as(tenant));
        expect(res.status).toBe(503);
        expect(res.headers['x-circuit-breaker-state']).toBe('open');
      }
      expect(
        h
          .registry()
          .list()
          .map((b) => [b.key, b.state]),
      ).toEqual([
        ['a', 'open'],
        ['b', 'open'],
      ]);
      const full = logger.warn.mock.calls.filter(([m]) => m.includes('ERR_BREAKWATER_KEYED_FULL'));
      expect(full).toHaveLength(1);
    });
  });

  describe('contract: forced open', () => {
    it('answers 503 with its own problem type and detail, the open duration as Retry-After, until reset', async () => {
      const url = await app({});
      const breaker = h.registry().get('app')!;
      breaker.forceOpen();
      h.clock().advance(OPEN_MS * 6); // nothing time-based ends a forced open
      const res = await send(url, '/r');
      expect(res.headers['retry-after']).toBe(String(OPEN_MS / 1000));
      expect(res.headers['x-circuit-breaker-state']).toBe('open');
      const body = problem(res);
      expect(body).toMatchObject({
        type: FORCED_OPEN_TYPE,
        breaker: 'app',
        state: 'open',
        retryAfter: OPEN_MS / 1000,
      });
      expect(body.detail).toMatch(/forced open by an operator/);
      expect(body.type).not.toBe(OPEN_TYPE);
      const health = healthSnapshot(h.registry()).breakers.find((b) => b.name === 'app')!;
      expect(health).toMatchObject({ state: 'forced-open', retryAfterMs: OPEN_MS, reopenAt: null });
      const ready = readiness(h.registry(), { critical: ['app'] });
      expect(ready.headers['Retry-After']).toBe(res.headers['retry-after']);
      expect(ready.body.unavailable[0]).toMatchObject({ retryAfterMs: OPEN_MS });
      breaker.reset();
      expect((await send(url, '/r')).status).toBe(200);
    });
  });

  describe('contract: integer milliseconds', () => {
    it('health JSON gives whole ms that agree with Retry-After', async () => {
      const url = await app({});
      await trip(url);
      h.clock().advance(2_345.67);
      const res = await send(url, '/r');
      const json = JSON.stringify(healthSnapshot(h.registry()));
      expect(json).not.toMatch(/"(reopenAt|retryAfterMs)":-?\d+\.\d/);
      const snapshot = healthSnapshot(h.registry()).breakers.find((b) => b.name === 'app')!;
      expect(snapshot.retryAfterMs).toBe(7_655);
      expect(Number.isInteger(snapshot.reopenAt)).toBe(true);
      expect(Number(res.headers['retry-after'])).toBe(Math.ceil(snapshot.retryAfterMs / 1000));
    });
  });
}
