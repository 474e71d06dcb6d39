// The adapter conformance suite: written once, run over real HTTP against every framework fixture.

import { Readable } from 'node:stream';
import { BreakerRegistry, ManualClock, type CircuitBreaker } from '@breakwater/core';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import {
  fixtures,
  type AppSpec,
  type GuardSpec,
  type Handler,
  type RequestView,
  type RunningApp,
} from './fixtures/index.js';
import { cacheScenarios } from './cache.scenarios.js';
import { contractScenarios } from './contract.scenarios.js';
import { send, start } from './http-client.js';
import { gate, until, type Gate } from './sync.js';

const OPEN_MS = 10_000;
const ok: Handler = () => ({ status: 200, body: 'ok' });
const fail: Handler = () => ({ status: 500, body: 'boom' });

describe.each(fixtures)('$name', (fixture) => {
  let app: RunningApp | undefined;
  let clock: ManualClock;
  let registry: BreakerRegistry;
  let logger: { warn: Mock<(message: string) => void>; error: Mock<(message: string) => void> };
  /** What the routes built by `serveOne` do; tests swap it. */
  let behave: Handler;
  let hits: number;

  beforeEach(() => {
    clock = new ManualClock();
    registry = new BreakerRegistry();
    logger = {
      warn: vi.fn<(message: string) => void>(),
      error: vi.fn<(message: string) => void>(),
    };
    behave = ok;
    hits = 0;
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const breaker of registry.list()) breaker.close();
  });

  const options = (extra: GuardSpec = {}): GuardSpec => ({
    clock,
    registry,
    logger,
    failureThreshold: 2,
    openDuration: OPEN_MS,
    ...extra,
  });

  const counted: Handler = (request) => {
    hits++;
    return behave(request);
  };

  async function serve(spec: AppSpec): Promise<string> {
    await app?.close(); // a test may serve several apps in turn
    app = undefined;
    app = await fixture.createApp(spec);
    return app.url;
  }

  /** One route `GET /r` guarded by its own middleware, running `behave`. */
  function serveOne(extra: GuardSpec = {}): Promise<string> {
    return serve({
      routes: [{ method: 'GET', path: '/r', handler: counted, guard: options(extra) }],
    });
  }

  function only(): CircuitBreaker {
    const all = registry.list();
    expect(all).toHaveLength(1);
    return all[0]!;
  }

  async function trip(url: string, path = '/r', times = 2): Promise<void> {
    const previous = behave;
    behave = fail;
    for (let i = 0; i < times; i++) expect((await send(url, path)).status).toBe(500);
    behave = previous;
  }

  describe('the HTTP contract', () => {
    it('marks every guarded response with its state and merges Access-Control-Expose-Headers', async () => {
      behave = () => ({
        status: 200,
        body: 'ok',
        headers: { 'Access-Control-Expose-Headers': 'X-Request-Id' },
      });
      const url = await serveOne();
      const res = await send(url, '/r');
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
      expect(res.headers['x-circuit-breaker-state']).toBe('closed');
      expect(res.headers['access-control-expose-headers']).toBe(
        'X-Request-Id, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
      behave = fail;
      const failed = await send(url, '/r', { headers: { Origin: 'https://app.example' } });
      expect(failed.status).toBe(500);
      expect(failed.headers['x-circuit-breaker-state']).toBe('closed');
      expect(failed.headers['access-control-expose-headers']).toBe(
        'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
    });

    it('adds the expose list only where a browser reads it: cross-origin requests, or a list the app sets', async () => {
      behave = () => ({ status: 200, body: 'ok' });
      const url = await serveOne();
      const sameOrigin = await send(url, '/r');
      expect(sameOrigin.headers['x-circuit-breaker-state']).toBe('closed');
      expect(sameOrigin.headers['access-control-expose-headers']).toBeUndefined();
      const crossOrigin = await send(url, '/r', { headers: { Origin: 'https://app.example' } });
      expect(crossOrigin.headers['access-control-expose-headers']).toBe(
        'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
    });

    it("leaves the state header off closed responses with stateHeader: 'when-not-closed'", async () => {
      const url = await serveOne({ stateHeader: 'when-not-closed' });
      const closed = await send(url, '/r', { headers: { Origin: 'https://app.example' } });
      expect(closed.status).toBe(200);
      expect(closed.headers['x-circuit-breaker-state']).toBeUndefined();
      // Left as the app wrote it: no expose list for headers that are not there.
      expect(closed.headers['access-control-expose-headers']).toBeUndefined();
      await trip(url);
      expect((await send(url, '/r')).headers['x-circuit-breaker-state']).toBe('open');
      clock.advance(OPEN_MS);
      const probe = await send(url, '/r');
      expect(probe.status).toBe(200);
      expect(probe.headers['x-circuit-breaker-state']).toBe('half-open');
      expect((await send(url, '/r')).headers['x-circuit-breaker-state']).toBeUndefined();
    });

    it('short-circuits an open breaker with the 503 problem+json contract', async () => {
      const url = await serveOne();
      await trip(url);
      const res = await send(url, '/r');
      expect(hits).toBe(2);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.headers['x-circuit-breaker-state']).toBe('open');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['date']).toBeDefined();
      expect(res.headers['access-control-expose-headers']).toBe(
        'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
      expect(res.headers['cache-status']).toBeUndefined();
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        title: 'Service Unavailable',
        status: 503,
        breaker: only().name,
        state: 'open',
        retryAfter: 10,
      });
      expect(typeof body.type).toBe('string');
      expect(typeof body.detail).toBe('string');
    });

    it('sends a Retry-After of the remaining open time rounded up, at least 1 s', async () => {
      const url = await serveOne();
      await trip(url);
      clock.advance(3000);
      expect((await send(url, '/r')).headers['retry-after']).toBe('7');
      clock.advance(2500); // 4500 ms left: a client that waits 5 s is admitted
      expect((await send(url, '/r')).headers['retry-after']).toBe('5');
      clock.advance(4400); // 100 ms left
      expect((await send(url, '/r')).headers['retry-after']).toBe('1');
    });

    it('never records its own 503s', async () => {
      const url = await serveOne();
      await trip(url);
      for (let i = 0; i < 5; i++) expect((await send(url, '/r')).status).toBe(503);
      const totals = only().snapshot().totals;
      expect(totals).toMatchObject({ failure: 2, rejected: 5, success: 0 });
      clock.advance(OPEN_MS);
      expect((await send(url, '/r')).status).toBe(200);
      expect(only().state).toBe('closed');
    });

    it('answers HEAD through the breaker, with headers and no body when open', async () => {
      const url = await serveOne();
      const head = await send(url, '/r', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['x-circuit-breaker-state']).toBe('closed');
      await trip(url);
      const rejected = await send(url, '/r', { method: 'HEAD' });
      expect(rejected.status).toBe(503);
      expect(rejected.body).toBe('');
      expect(rejected.headers['x-circuit-breaker-state']).toBe('open');
      expect(rejected.headers['retry-after']).toBe('10');
    });
  });

  describe('what counts as a failure', () => {
    it.each([
      ['a 5xx response', fail],
      [
        'a synchronously thrown error',
        () => {
          throw new Error('sync');
        },
      ],
      ['a rejected promise', () => Promise.reject(new Error('async'))],
    ] as const)('trips on %s', async (_what, handler) => {
      behave = handler;
      const url = await serveOne();
      const first = await send(url, '/r');
      expect(first.status).toBe(500);
      expect(first.headers['x-circuit-breaker-state']).toBe('closed');
      expect((await send(url, '/r')).status).toBe(500);
      expect((await send(url, '/r')).status).toBe(503);
      expect(hits).toBe(2);
    });

    it('does not trip on 4xx responses', async () => {
      behave = () => ({ status: 404, body: 'no' });
      const url = await serveOne();
      for (let i = 0; i < 4; i++) expect((await send(url, '/r')).status).toBe(404);
      expect(only().state).toBe('closed');
    });

    it('counts a request still running after `timeout` as a failure at that moment', async () => {
      const release = gate();
      behave = async () => {
        await release.promise;
        return { status: 200, body: 'late' };
      };
      const url = await serveOne({ timeout: 1000, failureThreshold: 1 });
      const slow = start(url, '/r');
      await until(() => hits === 1, 'the handler');
      expect(only().state).toBe('closed');
      clock.advance(1000);
      expect(only().state).toBe('open');
      release.open();
      expect((await slow.response).status).toBe(200);
      expect(only().snapshot().totals).toMatchObject({ timeout: 1, success: 0 });
      expect((await send(url, '/r')).status).toBe(503);
    });
  });

  describe('recovery', () => {
    it('admits a probe after the open duration and closes when it succeeds', async () => {
      const url = await serveOne();
      await trip(url);
      clock.advance(OPEN_MS - 1);
      expect((await send(url, '/r')).status).toBe(503);
      clock.advance(1);
      const probe = await send(url, '/r');
      expect(probe.status).toBe(200);
      expect(probe.headers['x-circuit-breaker-state']).toBe('half-open');
      expect(only().state).toBe('closed');
      expect((await send(url, '/r')).headers['x-circuit-breaker-state']).toBe('closed');
    });

    it('reopens for longer when the probe fails', async () => {
      const url = await serveOne({ maxOpenDuration: 4 * OPEN_MS });
      await trip(url);
      clock.advance(OPEN_MS);
      behave = fail;
      expect((await send(url, '/r')).status).toBe(500);
      const res = await send(url, '/r');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe(String((2 * OPEN_MS) / 1000));
    });

    it('admits exactly halfOpenMaxCalls of many simultaneous requests', async () => {
      const url = await serveOne({ halfOpenMaxCalls: 3, successThreshold: 3 });
      await trip(url);
      clock.advance(OPEN_MS);
      hits = 0;
      const release = gate();
      behave = async () => {
        await release.promise;
        return { status: 200, body: 'ok' };
      };
      const requests = Array.from({ length: 12 }, () => start(url, '/r').response);
      const rejected: number[] = [];
      for (const r of requests) void r.then((res) => res.status === 503 && rejected.push(1));
      await until(() => rejected.length === 9, '9 rejections');
      expect(hits).toBe(3);
      release.open();
      const results = await Promise.all(requests);
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(
        results
          .filter((r) => r.status === 503)
          .every((r) => r.headers['x-circuit-breaker-state'] === 'half-open'),
      ).toBe(true);
      expect(hits).toBe(3);
      expect(only().state).toBe('closed');
    });
  });

  describe('client aborts', () => {
    it('keeps a probe’s half-open slot while its handler runs after the client left, then records nothing', async () => {
      const url = await serveOne();
      await trip(url);
      clock.advance(OPEN_MS);
      const release = gate();
      let view: RequestView | undefined;
      behave = async (request) => {
        view = request;
        await release.promise;
        return { status: 500, body: 'late failure' };
      };
      hits = 0;
      const probe = start(url, '/r');
      await until(() => hits === 1, 'the probe to reach the handler');
      probe.abort();
      await until(() => view!.clientGone(), 'the server to see the client leave');
      // The bound is on handler runs, not connections: the running handler keeps the only slot.
      for (let i = 0; i < 3; i++) expect((await send(url, '/r')).status).toBe(503);
      expect(hits).toBe(1);
      expect(only().snapshot().halfOpen.probesInFlight).toBe(1);
      release.open();
      await until(() => only().snapshot().halfOpen.probesInFlight === 0, 'the slot to be released');
      expect(only().state).toBe('half-open');
      expect(only().snapshot().totals).toMatchObject({ ignored: 1, failure: 2, success: 0 });
      behave = ok;
      const next = await send(url, '/r');
      expect(next.status).toBe(200);
      expect(only().state).toBe('closed');
    });

    it('ignores a call whose client leaves before the head, and admits the next at once', async () => {
      const release = gate();
      let view: RequestView | undefined;
      behave = async (request) => {
        view = request;
        await release.promise;
        return { status: 500, body: 'late' };
      };
      const url = await serveOne();
      const leaving = start(url, '/r');
      await until(() => hits === 1, 'the handler');
      leaving.abort();
      await until(() => view!.clientGone(), 'the server to see the client leave');
      await until(() => only().inFlight === 0, 'the call to settle');
      expect(only().snapshot().totals).toMatchObject({ ignored: 1, failure: 0, success: 0 });
      release.open();
      behave = ok;
      expect((await send(url, '/r')).status).toBe(200);
    });

    it('ignores a streamed response the client abandons after its head (judged a success there)', async () => {
      const never = gate();
      behave = () => ({
        status: 200,
        stream: Readable.from(
          (async function* () {
            yield 'partial';
            await never.promise;
          })(),
        ),
      });
      const url = await serveOne();
      const streaming = start(url, '/r');
      streaming.abortOnFirstBytes();
      await until(() => hits === 1, 'the handler');
      await until(() => only().snapshot().totals.success === 1, 'the head to be judged');
      await streaming.response.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(only().snapshot().totals).toMatchObject({ ignored: 0, success: 1, failure: 0 });
      never.open();
    });
  });

  describe('long streams (judged at the response head)', () => {
    /** A body that sends `first`, then waits for `more` before `rest`. */
    const streamed =
      (more: Gate, first = 'one,', rest = 'two'): Handler =>
      () => ({
        status: 200,
        headers: { 'Content-Type': 'text/event-stream' },
        stream: Readable.from(
          (async function* () {
            yield first;
            await more.promise;
            yield rest;
          })(),
        ),
      });

    it('records a streamed response when its head goes out, with the state header', async () => {
      const more = gate();
      behave = streamed(more);
      const url = await serveOne();
      const streaming = start(url, '/r');
      await until(() => hits === 1, 'the handler');
      await until(() => only().snapshot().totals.success === 1, 'the head to be judged');
      expect(only().inFlight).toBe(0);
      more.open();
      const res = await streaming.response;
      expect(res.body).toBe('one,two');
      expect(res.headers['x-circuit-breaker-state']).toBe('closed');
      expect(only().snapshot().totals).toMatchObject({ success: 1, failure: 0 });
    });

    it('closes the breaker on a probe that streams for longer than the open duration', async () => {
      const url = await serveOne();
      await trip(url);
      clock.advance(OPEN_MS);
      const more = gate();
      behave = streamed(more);
      const streaming = start(url, '/r');
      await until(() => only().state === 'closed', 'the probe head to close the breaker');
      clock.advance(3 * OPEN_MS); // far past a hung probe's expiry
      expect(only().state).toBe('closed');
      behave = ok;
      expect((await send(url, '/r')).status).toBe(200);
      more.open();
      expect((await streaming.response).body).toBe('one,two');
      expect(only().snapshot().totals).toMatchObject({ timeout: 0, failure: 2 });
    });

    it('measures `timeout` to the head: a long healthy stream is no timeout', async () => {
      const more = gate();
      behave = streamed(more);
      const url = await serveOne({ timeout: 1000 });
      const streaming = start(url, '/r');
      await until(() => hits === 1, 'the handler');
      await until(() => only().snapshot().totals.success === 1, 'the head to be judged');
      clock.advance(5000);
      more.open();
      expect((await streaming.response).body).toBe('one,two');
      expect(only().snapshot().totals).toMatchObject({ timeout: 0, failure: 0, success: 1 });
      expect(only().state).toBe('closed');
    });

    it('records a body the server breaks off after the head as a failure', async () => {
      behave = () => ({
        status: 200,
        stream: Readable.from(
          (async function* () {
            yield 'partial';
            await new Promise((resolve) => setTimeout(resolve, 5));
            throw new Error('the upstream stream broke');
          })(),
        ),
      });
      const url = await serveOne({ failureThreshold: 1 });
      const cut = await send(url, '/r').then(
        (res) => res.body,
        () => 'cut',
      );
      expect(cut).not.toBe('partial-and-more');
      await until(() => only().snapshot().totals.failure === 1, 'the cut-off to be recorded');
      expect(only().state).toBe('open');
    });
  });

  describe('operating', () => {
    it('in shadow mode runs the state machine but admits every request, marking what it would refuse', async () => {
      const url = await serveOne({ mode: 'shadow' });
      await trip(url);
      expect(only().state).toBe('open');
      const admitted = await send(url, '/r');
      expect(admitted.status).toBe(200);
      expect(admitted.headers['x-circuit-breaker-state']).toBe('open');
      expect(hits).toBe(3);
      expect(only().snapshot().totals).toMatchObject({ wouldReject: 1, rejected: 0 });
      only().setMode('enforce');
      expect((await send(url, '/r')).status).toBe(503);
    });

    it('applies a live configure() to the next calls of a running route', async () => {
      const url = await serveOne({ failureThreshold: 5 });
      expect((await send(url, '/r')).status).toBe(200); // route breakers exist from their first request
      only().configure({ failureThreshold: 1 });
      behave = fail;
      expect((await send(url, '/r')).status).toBe(500);
      expect((await send(url, '/r')).status).toBe(503);
    });
  });

  describe('the scope a short-circuit declares', () => {
    it('names the route (method and template) for a route breaker, or the origin without a router', async () => {
      const url = await serveOne();
      await trip(url);
      const res = await send(url, '/r', { headers: { Origin: 'https://app.example' } });
      expect(res.status).toBe(503);
      const expected = fixture.namesRoutes
        ? { header: 'GET,HEAD /r', body: { methods: ['GET', 'HEAD'], path: '/r' } }
        : { header: '* /*', body: { methods: '*', path: '/*' } };
      expect(res.headers['x-circuit-breaker-scope']).toBe(expected.header);
      expect((JSON.parse(res.body) as { scope: unknown }).scope).toEqual(expected.body);
      expect(res.headers['access-control-expose-headers']).toContain('X-Circuit-Breaker-Scope');
    });

    it('names the whole origin for an app-level breaker', async () => {
      const url = await serve({
        options: options({ name: 'app' }),
        routes: [{ method: 'GET', path: '/r', handler: counted }],
      });
      await trip(url);
      const res = await send(url, '/r');
      const scope = fixture.guardsEachRoute === true ? 'GET,HEAD /r' : '* /*';
      expect(res.headers['x-circuit-breaker-scope']).toBe(scope);
    });

    it('declares a keyed breaker’s family scope, and carries the scope into onReject’s response', async () => {
      const url = await serveOne({
        name: 'tenants',
        key: (request) => String(request.headers['x-tenant']),
        onReject: (_request, rejection, reply) => reply(429, `busy:${rejection.state}`),
      });
      const as = { headers: { 'x-tenant': 'a' } };
      behave = fail;
      await send(url, '/r', as);
      await send(url, '/r', as);
      const res = await send(url, '/r', as);
      expect(res.status).toBe(429);
      expect(res.headers['x-circuit-breaker-scope']).toBe(
        fixture.namesRoutes ? 'GET,HEAD /r' : '* /*',
      );
    });
  });

  describe('real traffic', () => {
    it.each([
      ['status', 404],
      ['statusCode', 404],
      ['statusCode', 400],
      ['status', 401],
    ] as const)('never trips on a thrown error whose %s is %d', async (field, status) => {
      behave = () => {
        throw Object.assign(new Error('client error'), { [field]: status });
      };
      const url = await serveOne();
      for (let i = 0; i < 4; i++) expect((await send(url, '/r')).status).toBe(status);
      expect(only().state).toBe('closed');
      expect(only().snapshot().totals).toMatchObject({ failure: 0, success: 4 });
      behave = () => {
        throw Object.assign(new Error('server error'), { [field]: 503 });
      };
      await send(url, '/r');
      await send(url, '/r');
      expect(only().state).toBe('open');
    });

    it('keeps the app’s own headers and merges its expose list on a short-circuit (cors() in front)', async () => {
      const url = await serve({
        before: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Expose-Headers': 'X-Request-Id',
        },
        options: options({ name: 'app' }),
        routes: [{ method: 'GET', path: '/r', handler: counted }],
      });
      const origin = { headers: { Origin: 'https://app.example' } };
      const healthy = await send(url, '/r', origin);
      expect(healthy.headers['access-control-expose-headers']).toBe(
        'X-Request-Id, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
      await trip(url);
      const rejected = await send(url, '/r', origin);
      expect(rejected.status).toBe(503);
      expect(rejected.headers['access-control-allow-origin']).toBe('*');
      expect(rejected.headers['access-control-expose-headers']).toBe(
        'X-Request-Id, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
      );
    });

    it('neither gates nor records a CORS preflight, even while open', async () => {
      const url = await serve({
        options: options({ name: 'app' }),
        routes: [{ method: 'GET', path: '/r', handler: counted }],
      });
      await trip(url);
      const before = only().snapshot().totals;
      const preflight = await send(url, '/r', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
      });
      expect(preflight.status).not.toBe(503);
      expect(preflight.headers['x-circuit-breaker-state']).toBeUndefined();
      expect(only().snapshot().totals).toEqual(before);
      expect((await send(url, '/r')).status).toBe(503);
    });

    it.skipIf(!fixture.compression)(
      'stamps the first response with compression() mounted before the breaker',
      async () => {
        const url = await serve({
          compression: 'before',
          options: options({ name: 'app' }),
          routes: [{ method: 'GET', path: '/r', handler: counted }],
        });
        const first = await send(url, '/r', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(first.headers['x-circuit-breaker-state']).toBe('closed');
      },
    );
  });

  describe('routes and names', () => {
    it('gives each guarded route its own breaker', async () => {
      const url = await serve({
        routes: [
          { method: 'GET', path: '/a', handler: fail, guard: options() },
          { method: 'GET', path: '/b', handler: ok, guard: options() },
        ],
      });
      await send(url, '/a');
      await send(url, '/a');
      expect((await send(url, '/a')).status).toBe(503);
      const b = await send(url, '/b');
      expect(b.status).toBe(200);
      expect(b.headers['x-circuit-breaker-state']).toBe('closed');
      expect(registry.size).toBe(2);
      if (fixture.namesRoutes) {
        expect(registry.get('GET /a')?.state).toBe('open');
        expect(registry.get('GET /b')?.state).toBe('closed');
      }
    });

    it('shares one breaker between routes guarded with the same name', async () => {
      const url = await serve({
        routes: [
          { method: 'GET', path: '/a', handler: fail, guard: options({ name: 'upstream' }) },
          { method: 'POST', path: '/b', handler: ok, guard: options({ name: 'upstream' }) },
        ],
      });
      await send(url, '/a');
      await send(url, '/a');
      const b = await send(url, '/b', { method: 'POST' });
      expect(b.status).toBe(503);
      expect(JSON.parse(b.body)).toMatchObject({ breaker: 'upstream' });
      expect(registry.list().map((breaker) => breaker.name)).toEqual(['upstream']);
    });

    it('guards every route with app-level options', async () => {
      const url = await serve({
        options: options({ name: 'app' }),
        routes: [
          { method: 'GET', path: '/a', handler: ok },
          { method: 'GET', path: '/b', handler: fail },
        ],
      });
      expect((await send(url, '/a')).headers['x-circuit-breaker-state']).toBe('closed');
      await send(url, '/b');
      await send(url, '/b');
      expect((await send(url, '/a')).status).toBe(503);
    });
  });

  describe('key, skip and onReject', () => {
    it('keeps one breaker per key, named <name>:<key>', async () => {
      behave = (request) =>
        request.headers['x-tenant'] === 'bad' ? { status: 500 } : { status: 200 };
      const url = await serveOne({
        name: 'tenants',
        key: (request) => String(request.headers['x-tenant']),
      });
      const as = (tenant: string) => send(url, '/r', { headers: { 'x-tenant': tenant } });
      await as('bad');
      await as('bad');
      expect((await as('bad')).status).toBe(503);
      expect((await as('good')).status).toBe(200);
      expect(registry.get('tenants:bad')?.state).toBe('open');
      expect(registry.get('tenants:good')?.state).toBe('closed');
    });

    it('neither gates nor records skipped requests', async () => {
      const url = await serveOne({ skip: (request) => request.headers['x-skip'] === '1' });
      const skipping = { headers: { 'x-skip': '1' } };
      expect((await send(url, '/r')).status).toBe(200);
      behave = fail;
      for (let i = 0; i < 3; i++) expect((await send(url, '/r', skipping)).status).toBe(500);
      expect(only().snapshot().totals).toMatchObject({ success: 1, failure: 0 });
      await trip(url);
      behave = ok;
      expect((await send(url, '/r')).status).toBe(503);
      const skipped = await send(url, '/r', skipping);
      expect(skipped.status).toBe(200);
      expect(skipped.headers['x-circuit-breaker-state']).toBeUndefined();
    });

    it('lets onReject answer instead of the built-in 503, keeping the state headers', async () => {
      const url = await serveOne({
        onReject: (_request, rejection, reply) => reply(429, `busy:${rejection.state}`),
      });
      await trip(url);
      const res = await send(url, '/r');
      expect(res.status).toBe(429);
      expect(res.body).toBe('busy:open');
      expect(res.headers['x-circuit-breaker-state']).toBe('open');
      expect(res.headers['access-control-expose-headers']).toContain('Retry-After');
    });
  });

  describe('hooks that throw', () => {
    function boom(): never {
      throw new Error('hook failed');
    }

    it('serves a request unguarded when key throws, reporting it once', async () => {
      const url = await serveOne({ key: boom });
      expect((await send(url, '/r')).status).toBe(200);
      expect((await send(url, '/r')).status).toBe(200);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0]![0])).toMatch(/key/);
    });

    it('reports a key that returns no string and serves the request', async () => {
      const url = await serveOne({ key: (() => 42) as unknown as GuardSpec['key'] });
      expect((await send(url, '/r')).status).toBe(200);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });

    it('guards the request when skip throws, reporting it once', async () => {
      const url = await serveOne({ skip: boom });
      const res = await send(url, '/r');
      expect(res.status).toBe(200);
      expect(res.headers['x-circuit-breaker-state']).toBe('closed');
      await trip(url);
      expect((await send(url, '/r')).status).toBe(503);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });

    it('falls back to the default classification when isFailure throws', async () => {
      const url = await serveOne({ isFailure: boom });
      expect((await send(url, '/r')).status).toBe(200);
      expect(only().snapshot().totals).toMatchObject({ success: 1, failure: 0 });
      await trip(url);
      expect((await send(url, '/r')).status).toBe(503);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });

    const rejecters: [string, NonNullable<GuardSpec['onReject']>][] = [
      ['throws', () => boom()],
      ['rejects', () => Promise.reject(new Error('async hook failed'))],
      ['sends nothing', () => undefined],
    ];
    it.each(rejecters)('sends the built-in 503 when onReject %s', async (_what, onReject) => {
      const url = await serveOne({ onReject });
      await trip(url);
      const res = await send(url, '/r');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.headers['x-circuit-breaker-state']).toBe('open');
    });
  });

  cacheScenarios({
    fixture,
    clock: () => clock,
    registry: () => registry,
    options,
    serve,
  });

  contractScenarios({
    fixture,
    clock: () => clock,
    registry: () => registry,
    options,
    serve,
  });

  describe('bad options', () => {
    it.each([
      ['failureThreshold', { failureThreshold: 0 }],
      ['failureTreshold', { failureTreshold: 3 }],
      ['key', { key: 'tenant' }],
      ['skip', { skip: true }],
      ['onReject', { onReject: 503 }],
      ['maxBreakers', { maxBreakers: 0 }],
      ['openDuration', { openDuration: -1 }],
      ['stateHeader', { stateHeader: 'never' }],
    ] as const)('throws a TypeError naming %s', async (name, bad) => {
      const attempt = fixture.createApp({
        routes: [{ method: 'GET', path: '/r', handler: ok, guard: options(bad as GuardSpec) }],
      });
      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow(name);
    });

    it('throws a TypeError for bad app-level options', async () => {
      const attempt = fixture.createApp({
        options: options({ successThreshold: 1.5 }),
        routes: [{ method: 'GET', path: '/r', handler: ok }],
      });
      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow('successThreshold');
    });
  });
});
