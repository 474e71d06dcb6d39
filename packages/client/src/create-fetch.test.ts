// Unit tests for createFetch: back-off, probes, hostile headers, bounded memory, hooks and retries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetch } from './create-fetch.js';
import type { ClientOptions } from './options.js';
import type { ScopeCloseEvent, ScopeOpenEvent } from './scope-table.js';
import { ScriptedFetch, TestClock, breakerResponse, ok, untilTimer } from './test-support.js';

const API = 'http://api.test/users';

function setup(options: ClientOptions = {}) {
  const clock = new TestClock();
  const server = new ScriptedFetch();
  const opened: ScopeOpenEvent[] = [];
  const closed: ScopeCloseEvent[] = [];
  const fetch = createFetch({
    fetch: server.fetch,
    clock,
    onOpen: (e) => opened.push(e),
    onClose: (e) => closed.push(e),
    ...options,
  });
  return { clock, server, fetch, opened, closed };
}

describe('createFetch: backing off', () => {
  it('passes calls through while the server has not said open', async () => {
    const { fetch, server } = setup();
    const res = await fetch(API);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(server.calls).toHaveLength(1);
    expect(fetch.scopeState(API)).toBeUndefined();
  });

  it('answers later calls to the origin with a local 503 and no network call until Retry-After', async () => {
    const { fetch, server, clock, opened } = setup();
    server.then(breakerResponse('open', '30'));
    const first = await fetch(API);
    expect(first.status).toBe(503);
    expect(first.headers.get('X-Breakwater-Client')).toBeNull();
    expect(opened).toEqual([
      {
        scope: 'http://api.test',
        state: 'open',
        until: clock.now() + 30_000,
        retryAfterMs: 30_000,
        serverScope: { methods: '*', path: '/*' },
      },
    ]);

    clock.advance(10_200);
    const local = await fetch('http://api.test/other?q=1');
    expect(server.calls).toHaveLength(1);
    expect(local.status).toBe(503);
    expect(local.headers.get('Retry-After')).toBe('20');
    expect(local.headers.get('X-Circuit-Breaker-State')).toBe('open');
    expect(local.headers.get('X-Breakwater-Client')).toBe('short-circuit');
    expect(local.headers.get('Content-Type')).toBe('application/problem+json');
    expect(local.headers.get('Cache-Control')).toBe('no-store');
    // The origin scope (the default when the server declares none), stated like the server states one.
    expect(local.headers.get('X-Circuit-Breaker-Scope')).toBe('* /*');
    expect(await local.json()).toEqual({
      type: 'urn:breakwater:problem:circuit-open',
      title: 'Service Unavailable',
      status: 503,
      detail: expect.stringContaining('http://api.test'),
      breaker: 'http://api.test',
      state: 'open',
      retryAfter: 20,
      scope: { methods: '*', path: '/*' },
    });
  });

  it('gives a local HEAD answer no body', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('open', '30'));
    await fetch(API);
    const local = await fetch(API, { method: 'HEAD' });
    expect(local.headers.get('X-Breakwater-Client')).toBe('short-circuit');
    expect(local.body).toBeNull();
  });

  it('leaves other origins alone', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('open', '30'));
    await fetch(API);
    const other = await fetch('http://other.test/users');
    expect(other.status).toBe(200);
    expect(server.calls).toHaveLength(2);
  });

  it('never tells a caller less than 1 s', async () => {
    const { fetch, server, clock } = setup();
    server.then(breakerResponse('open', '2'));
    await fetch(API);
    clock.advance(1_999);
    const local = await fetch(API);
    expect(local.headers.get('Retry-After')).toBe('1');
  });

  it('lets one probe through after the delay, short-circuits the rest as half-open, and closes on its success', async () => {
    const { fetch, server, clock, closed } = setup();
    server.then(breakerResponse('open', '5'));
    await fetch(API);
    clock.advance(5000);

    let answer!: (res: Response) => void;
    server.then(() => new Promise<Response>((resolve) => (answer = resolve)));
    const probe = fetch(API);
    const meanwhile = await fetch(API);
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.headers.get('X-Circuit-Breaker-State')).toBe('half-open');
    expect(meanwhile.headers.get('Retry-After')).toBe('1');
    expect(fetch.scopeState(API)).toMatchObject({ state: 'half-open', probing: true });
    expect(server.calls).toHaveLength(2);

    answer(new Response('fine'));
    expect((await probe).status).toBe(200);
    expect(closed).toEqual([{ scope: 'http://api.test', until: clock.now(), openForMs: 5000 }]);
    expect(fetch.scopeState(API)).toBeUndefined();
    expect((await fetch(API)).status).toBe(200);
    expect(server.calls).toHaveLength(3);
  });

  it('reopens for the new Retry-After when the probe meets an open 503', async () => {
    const { fetch, server, clock, opened } = setup();
    server.then(breakerResponse('open', '5'), breakerResponse('open', '60'));
    await fetch(API);
    clock.advance(5000);
    await fetch(API);
    clock.advance(30_000);
    const local = await fetch(API);
    expect(local.headers.get('Retry-After')).toBe('30');
    expect(server.calls).toHaveLength(2);
    expect(opened).toHaveLength(1);
  });

  it('lets one call at a time through after a half-open 503', async () => {
    const { fetch, server, opened } = setup();
    server.then(breakerResponse('half-open', '3'));
    await fetch(API);
    expect(opened[0]).toMatchObject({ state: 'half-open', retryAfterMs: 3000 });

    let answer!: (res: Response) => void;
    server.then(() => new Promise<Response>((resolve) => (answer = resolve)));
    const probe = fetch(API);
    const meanwhile = await fetch(API);
    expect(meanwhile.headers.get('X-Circuit-Breaker-State')).toBe('half-open');
    expect(meanwhile.headers.get('Retry-After')).toBe('3');
    answer(new Response('fine', { headers: { 'X-Circuit-Breaker-State': 'closed' } }));
    await probe;
    expect(fetch.scopeState(API)).toBeUndefined();
  });

  it('frees the probe slot when the probe fails on the network', async () => {
    const { fetch, server, clock } = setup();
    server.then(breakerResponse('open', '1'), () => Promise.reject(new TypeError('fetch failed')));
    await fetch(API);
    clock.advance(1000);
    await expect(fetch(API)).rejects.toThrow('fetch failed');
    expect((await fetch(API)).status).toBe(200);
    expect(server.calls).toHaveLength(3);
  });

  it('frees the slot of a probe that never answers after probeTimeout', async () => {
    const { fetch, server, clock } = setup({ probeTimeout: 10_000 });
    server.then(breakerResponse('open', '1'), () => new Promise<Response>(() => {}));
    await fetch(API);
    clock.advance(1000);
    void fetch(API);
    clock.advance(9_999);
    expect((await fetch(API)).headers.get('X-Breakwater-Client')).toBe('short-circuit');
    clock.advance(1);
    expect((await fetch(API)).status).toBe(200);
    expect(server.calls).toHaveLength(3);
  });

  it('does not let a success admitted before the scope opened close it', async () => {
    const { fetch, server } = setup();
    let answer!: (res: Response) => void;
    server.then(
      () => new Promise<Response>((resolve) => (answer = resolve)),
      breakerResponse('open', '30'),
    );
    const slow = fetch(API);
    await fetch(API);
    answer(new Response('late'));
    await slow;
    expect(fetch.scopeState(API)).toMatchObject({ state: 'open' });
  });

  it('ignores 503s without our header by default and honours them with honorUnmarked503', async () => {
    const plain = setup();
    plain.server.then(
      () => new Response('busy', { status: 503, headers: { 'Retry-After': '10' } }),
    );
    await plain.fetch(API);
    expect((await plain.fetch(API)).status).toBe(200);

    const strict = setup({ honorUnmarked503: true });
    strict.server.then(
      () => new Response('busy', { status: 503, headers: { 'Retry-After': '10' } }),
      () => new Response('busy', { status: 503 }),
    );
    await strict.fetch(API);
    const local = await strict.fetch(API);
    expect(local.headers.get('X-Breakwater-Client')).toBe('short-circuit');
    expect(local.headers.get('Retry-After')).toBe('10');
    strict.fetch.reset();
    // An unmarked 503 with no Retry-After gives nothing to honour.
    await strict.fetch(API);
    expect(strict.fetch.scopeState(API)).toBeUndefined();
  });

  it('does not back off on a closed 503 or on non-503 answers carrying the open header', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('closed', '30'), ok(200, { 'X-Circuit-Breaker-State': 'open' }));
    await fetch(API);
    await fetch(API);
    expect(fetch.scopeCount).toBe(0);
  });

  it('keys scopes by path prefix when asked', async () => {
    const { fetch, server } = setup({ scope: 'origin+path-prefix', pathPrefix: 1 });
    server.then(breakerResponse('open', '30'));
    await fetch('http://api.test/search/q');
    expect((await fetch('http://api.test/search/other')).status).toBe(503);
    expect((await fetch('http://api.test/users/1')).status).toBe(200);
    expect(server.calls).toHaveLength(2);
  });

  it('keys scopes with a function of the URL and init', async () => {
    const { fetch, server } = setup({
      scope: (url, init) => `${url.host} ${init?.method ?? 'GET'}`,
    });
    server.then(breakerResponse('open', '30'));
    await fetch(API, { method: 'POST' });
    expect((await fetch(API, { method: 'POST' })).status).toBe(503);
    expect((await fetch(API)).status).toBe(200);
  });

  it('accepts Request objects and URL instances', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('open', '30'));
    await fetch(new Request(API));
    expect((await fetch(new URL(API))).headers.get('X-Breakwater-Client')).toBe('short-circuit');
    expect(server.calls).toHaveLength(1);
  });

  it('wraps the global fetch by default, looked up at call time', async () => {
    const stub = vi.fn(async () => new Response('global'));
    vi.stubGlobal('fetch', stub);
    try {
      const res = await createFetch()(API);
      expect(await res.text()).toBe('global');
      expect(stub).toHaveBeenCalledOnce();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects at once, without a network call, when the signal is already aborted', async () => {
    const { fetch, server } = setup();
    await expect(fetch(API, { signal: AbortSignal.abort('stop') })).rejects.toBe('stop');
    expect(server.calls).toHaveLength(0);
  });
});

describe('createFetch: hostile headers', () => {
  const NOW = Date.UTC(2026, 0, 1);
  it.each([
    ['a huge number', '9'.repeat(400), 300],
    ['a number above maxRetryAfter', '86400', 300],
    ['a negative number', '-30', 1],
    ['zero', '0', 1],
    ['a fractional number', '2.5', 3],
    ['hex', '0x20', 1],
    ['an exponent', '1e3', 1],
    ['garbage', '<script>', 1],
    ['an empty value', '', 1],
    ['a date far in the future', 'Fri, 31 Dec 9999 23:59:59 GMT', 300],
    ['a date in the past', 'Thu, 01 Jan 1970 00:00:00 GMT', 1],
    ['a date 40 s ahead', new Date(NOW + 40_000).toUTCString(), 40],
    ['an impossible date', 'Sun, 31 Feb 2026 00:00:00 GMT', 1],
    ['several values', '5, 20, 10', 20],
    ['several values with garbage', 'soon, 7', 7],
  ])('clamps %s (%j) to %d s', async (_name, value, seconds) => {
    const { fetch, server, opened } = setup();
    server.then(breakerResponse('open', value));
    await fetch(API);
    expect(opened[0]!.retryAfterMs).toBe(seconds * 1000);
    expect((await fetch(API)).headers.get('Retry-After')).toBe(String(seconds));
  });

  it('treats an open 503 without Retry-After as 1 s', async () => {
    const { fetch, server, opened } = setup();
    server.then(breakerResponse('open', null));
    await fetch(API);
    expect(opened[0]!.retryAfterMs).toBe(1000);
  });

  it('honours maxRetryAfter as the ceiling', async () => {
    const { fetch, server, opened } = setup({ maxRetryAfter: 10_000 });
    server.then(breakerResponse('open', '120'));
    await fetch(API);
    expect(opened[0]!.retryAfterMs).toBe(10_000);
  });

  it('measures an HTTP-date Retry-After from the server Date, not the skewed client clock', async () => {
    const { fetch, server, opened } = setup();
    const serverNow = NOW - 7_200_000;
    server.then(
      breakerResponse('open', new Date(serverNow + 15_000).toUTCString(), {
        Date: new Date(serverNow).toUTCString(),
      }),
    );
    await fetch(API);
    expect(opened[0]!.retryAfterMs).toBe(15_000);
  });

  it('reads a repeated state header and ignores a garbage one', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('closed, open', '5'));
    await fetch(API);
    expect(fetch.scopeState(API)?.state).toBe('open');

    const other = setup();
    other.server.then(breakerResponse('OPEN!!', '5'));
    await other.fetch(API);
    expect(other.fetch.scopeCount).toBe(0);
  });
});

describe('createFetch: bounded memory and hooks', () => {
  it('tracks at most maxScopes scopes, forgetting the least recently used', async () => {
    const { fetch, server } = setup({ maxScopes: 2 });
    server.fallback = breakerResponse('open', '60');
    for (const host of ['a', 'b', 'c']) await fetch(`http://${host}.test/`);
    expect(fetch.scopeCount).toBe(2);
    expect(fetch.scopeState('http://a.test/')).toBeUndefined();
    expect(fetch.scopeState('http://c.test/')?.state).toBe('open');
  });

  it('keeps working when a hook throws', async () => {
    const { fetch, server, clock } = setup({
      onOpen: () => {
        throw new Error('hook broke');
      },
      onClose: () => {
        throw new Error('hook broke');
      },
    });
    server.then(breakerResponse('open', '1'));
    expect((await fetch(API)).status).toBe(503);
    clock.advance(1000);
    expect((await fetch(API)).status).toBe(200);
    expect(fetch.scopeCount).toBe(0);
  });

  it('forgets every scope on reset', async () => {
    const { fetch, server } = setup();
    server.then(breakerResponse('open', '60'));
    await fetch(API);
    fetch.reset();
    expect((await fetch(API)).status).toBe(200);
  });
});

describe('createFetch: retries', () => {
  afterEach(() => vi.restoreAllMocks());

  it("retries an idempotent request after the server's Retry-After", async () => {
    const { fetch, server, clock } = setup({ retry: { jitter: 'none' } });
    server.then(breakerResponse('open', '3'));
    const pending = fetch(API);
    await untilTimer(clock);
    expect(clock.nextDelay).toBe(3000);
    clock.advance(3000);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(server.calls).toHaveLength(2);
    expect(fetch.scopeCount).toBe(0);
  });

  it('spreads the wait with the configured jitter', async () => {
    const { fetch, server, clock } = setup({ retry: { jitter: 'full' }, random: () => 0.5 });
    server.then(breakerResponse('open', '4'));
    const pending = fetch(API);
    await untilTimer(clock);
    expect(clock.nextDelay).toBe(6000);
    clock.advance(6000);
    expect((await pending).status).toBe(200);
  });

  it('gives up after maxRetries and returns the last 503', async () => {
    const { fetch, server, clock } = setup({ retry: { maxRetries: 2, jitter: 'none' } });
    server.fallback = breakerResponse('open', '1');
    const pending = fetch(API);
    for (let i = 0; i < 2; i += 1) {
      await untilTimer(clock);
      clock.advance(1000);
    }
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('X-Breakwater-Client')).toBeNull();
    expect(server.calls).toHaveLength(3);
  });

  it('returns at once when the server asks for longer than maxDelay', async () => {
    const { fetch, server, clock } = setup({ retry: { maxDelay: 5000 } });
    server.then(breakerResponse('open', '60'));
    expect((await fetch(API)).status).toBe(503);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits out a local short-circuit and then probes', async () => {
    const { fetch, server, clock } = setup({ retry: { jitter: 'none' } });
    server.then(breakerResponse('open', '10'));
    // POST is not retried, so this call just opens the scope.
    expect((await fetch(API, { method: 'POST' })).status).toBe(503);
    clock.advance(4000);
    const pending = fetch(API);
    await untilTimer(clock);
    expect(clock.nextDelay).toBe(6000);
    expect(server.calls).toHaveLength(1);
    clock.advance(6000);
    expect((await pending).status).toBe(200);
  });

  it.each(['POST', 'PATCH'])('never retries %s', async (method) => {
    const { fetch, server, clock } = setup({ retry: true });
    server.then(breakerResponse('open', '1'));
    expect((await fetch(API, { method })).status).toBe(503);
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries PUT with a replayable body but never a streamed one', async () => {
    const { fetch, server, clock } = setup({ retry: { jitter: 'none' } });
    server.then(breakerResponse('open', '1'));
    const pending = fetch(API, { method: 'PUT', body: '{"a":1}' });
    await untilTimer(clock);
    clock.advance(1000);
    expect((await pending).status).toBe(200);

    server.then(breakerResponse('open', '1'));
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('x'));
        c.close();
      },
    });
    const res = await fetch('http://stream.test/', {
      method: 'PUT',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(503);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never retries a Request that carries a body', async () => {
    const { fetch, server, clock } = setup({ retry: true });
    server.then(breakerResponse('open', '1'));
    const res = await fetch(new Request(API, { method: 'PUT', body: 'x' }));
    expect(res.status).toBe(503);
    expect(clock.pendingTimers).toBe(0);
  });

  it("rejects with the signal's reason the moment it aborts during a wait, clearing the timer", async () => {
    const { fetch, server, clock } = setup({ retry: true });
    server.then(breakerResponse('open', '20'));
    const controller = new AbortController();
    const pending = fetch(API, { signal: controller.signal });
    await untilTimer(clock);
    const reason = new Error('cancelled by user');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(server.calls).toHaveLength(1);
  });

  it('uses only the listed methods', async () => {
    const { fetch, server, clock } = setup({ retry: { methods: ['post'], jitter: 'none' } });
    server.then(breakerResponse('open', '1'));
    const pending = fetch(API, { method: 'POST', body: 'x' });
    await untilTimer(clock);
    clock.advance(1000);
    expect((await pending).status).toBe(200);
    server.then(breakerResponse('open', '1'));
    expect((await fetch('http://get.test/')).status).toBe(503);
  });
});

describe('createFetch: the scope the server declares', () => {
  const scoped = (scope: string, retryAfter = '30') =>
    breakerResponse('open', retryAfter, { 'X-Circuit-Breaker-Scope': scope });

  it('short-circuits only calls inside the declared route scope; others go to the network', async () => {
    const { fetch, server, opened } = setup();
    server.then(scoped('GET,HEAD /users/:id'));
    expect((await fetch('http://api.test/users/1')).status).toBe(503);
    expect(opened[0]).toMatchObject({
      scope: 'http://api.test GET,HEAD /users/:id',
      serverScope: { methods: ['GET', 'HEAD'], path: '/users/:id' },
    });

    const local = await fetch('http://api.test/users/2', { method: 'HEAD' });
    expect(local.headers.get('X-Breakwater-Client')).toBe('short-circuit');
    expect(local.headers.get('X-Circuit-Breaker-Scope')).toBe('GET,HEAD /users/:id');
    const body = (await (await fetch('http://api.test/users/3')).json()) as { scope: unknown };
    expect(body.scope).toEqual({ methods: ['GET', 'HEAD'], path: '/users/:id' });
    expect(server.calls).toHaveLength(1);

    for (const [url, method] of [
      ['http://api.test/users/1', 'DELETE'],
      ['http://api.test/orders/1', 'GET'],
      ['http://api.test/users', 'GET'],
      ['http://other.test/users/1', 'GET'],
    ] as const) {
      expect((await fetch(url, { method })).status).toBe(200);
    }
    expect(server.calls).toHaveLength(5);
  });

  it('lets an app-level scope cover every route of its origin only', async () => {
    const { fetch, server } = setup();
    server.then(scoped('* /*'));
    await fetch('http://api.test/users/1');
    expect(isLocal(await fetch('http://api.test/', { method: 'POST', body: 'x' }))).toBe(true);
    expect(isLocal(await fetch('http://api.test/deep/er/path'))).toBe(true);
    expect(isLocal(await fetch('http://api.test:8080/users/1'))).toBe(false);
    expect(server.calls).toHaveLength(2);
  });

  it('narrows a malformed or hostile scope to the call that got it, and clamps its Retry-After', async () => {
    const { fetch, server, opened } = setup({ maxRetryAfter: 60_000 });
    server.then(scoped('* https://bank.test/*', '999999'));
    await fetch('http://api.test/users/1');
    expect(opened[0]).toMatchObject({
      scope: 'http://api.test GET /users/1',
      retryAfterMs: 60_000,
    });
    expect(isLocal(await fetch('http://api.test/users/1'))).toBe(true);
    expect(isLocal(await fetch('http://api.test/users/2'))).toBe(false);
    expect(isLocal(await fetch('https://bank.test/'))).toBe(false);
  });

  it('follows the scope option instead when honorServerScope is false', async () => {
    const { fetch, server } = setup({ honorServerScope: false });
    server.then(scoped('GET,HEAD /users/:id'));
    await fetch('http://api.test/users/1');
    expect(isLocal(await fetch('http://api.test/orders/1'))).toBe(true);
  });

  it('closes the route scope after its probe succeeds, leaving an open sibling alone', async () => {
    const { fetch, server, clock, closed } = setup();
    server.then(scoped('GET,HEAD /users/:id', '10'), scoped('GET,HEAD /orders/:id', '60'));
    await fetch('http://api.test/users/1');
    await fetch('http://api.test/orders/1');
    expect(fetch.scopeCount).toBe(2);
    clock.advance(10_000);
    expect((await fetch('http://api.test/users/1')).status).toBe(200);
    expect(closed.map((e) => e.scope)).toEqual(['http://api.test GET,HEAD /users/:id']);
    expect(fetch.scopeState('http://api.test/orders/2')).toMatchObject({ state: 'open' });
    expect(isLocal(await fetch('http://api.test/orders/2'))).toBe(true);
  });
});

function isLocal(response: Response): boolean {
  return response.headers.get('X-Breakwater-Client') === 'short-circuit';
}
