// Tests for RequestGuard over raw node:http: naming, sharing, nesting, header stamping and the cache seam.

import { createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../cache/cache-store.js';
import { MemoryCacheStore } from '../cache/memory-cache-store.js';
import { ManualClock } from '../clock.js';
import { BreakerRegistry } from '../registry.js';
import { ANSWERED, isAdmitted, PASS, RequestGuard, type FrameworkBinding } from './guard.js';
import type { GuardOptions } from './guard-options.js';
import { routeBreakerName } from './route-name.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** Serves `handler` on 127.0.0.1 and sends one GET; resolves status, headers, body. */
async function roundTrip(
  handler: Handler,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Binds RequestGuard to raw node:http, as an adapter would; `route` names the breaker per request. */
function nodeBinding(route?: string): FrameworkBinding<IncomingMessage, ServerResponse> {
  return {
    rawRequest: (req) => req,
    rawResponse: (_req, res) => res,
    routeName: () => route,
    getHeader: (_req, res, name) => res.getHeader(name),
    send: (_req, res, reply) => {
      res.writeHead(reply.status, reply.headers as Record<string, string | string[]>);
      res.end(reply.body);
    },
    callOnReject: (onReject, req, res, rejection) =>
      (onReject as (...args: unknown[]) => unknown)(req, res, rejection),
    responded: (_req, res) => res.headersSent,
  };
}

/** A guarding middleware over raw node:http, as an adapter would write it. */
function guarded(guard: RequestGuard<IncomingMessage, ServerResponse>, next: Handler): Handler {
  return (req, res) => {
    const verdict = guard.enter(req, res);
    if (verdict === PASS || isAdmitted(verdict)) return next(req, res);
  };
}

/** One clock for every guard: same-named breakers must agree on it. */
const clock = new ManualClock();

function guardOf(
  registry: BreakerRegistry,
  options: GuardOptions<IncomingMessage> = {},
  route?: string,
): RequestGuard<IncomingMessage, ServerResponse> {
  return new RequestGuard({ registry, clock, ...options }, nodeBinding(route));
}

/** A request/response pair that never touches a socket, for naming tests. */
function exchange(): [IncomingMessage, ServerResponse] {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  return [req, new ServerResponse(req)];
}

describe('RequestGuard', () => {
  it('names breakers after the route, HEAD sharing the GET breaker', () => {
    const registry = new BreakerRegistry();
    guardOf(registry, {}, routeBreakerName('GET', '/users/:id')).enter(...exchange());
    guardOf(registry, {}, routeBreakerName('HEAD', '/users/:id')).enter(...exchange());
    expect(registry.list().map((b) => b.name)).toEqual(['GET /users/:id']);
  });

  it('falls back to a fresh breaker-N name when no route is known', () => {
    const registry = new BreakerRegistry();
    guardOf(registry).enter(...exchange());
    expect(registry.list()[0]!.name).toMatch(/^breaker-\d+$/);
  });

  it('admits one object per request, its own permit, timed when the breaker has `timeout`', () => {
    const registry = new BreakerRegistry();
    const [req, res] = exchange();
    const call = guardOf(registry, { name: 't', timeout: 100 }).enter(req, res);
    if (!isAdmitted(call)) throw new Error('expected an admitted call');
    expect(call.timed).toBe(true);
    expect((call as unknown as { queue?: unknown }).queue).toBeDefined();
    res.writeHead(200).end();
    expect(call.settled).toBe(true);
    // settled in time, it left the deadline queue: the timer finds nothing to time out
    expect((call as unknown as { queue?: unknown }).queue).toBeUndefined();
    clock.advance(1000);
    expect(registry.get('t')!.snapshot().totals).toMatchObject({ success: 1, timeout: 0 });
  });

  it('lets CORS preflights through, neither gated nor recorded', () => {
    const registry = new BreakerRegistry();
    const guard = guardOf(registry, { name: 'p' });
    guard.breakers()[0]!.forceOpen();
    const [req, res] = exchange();
    req.method = 'OPTIONS';
    req.headers['access-control-request-method'] = 'POST';
    expect(guard.enter(req, res)).toBe(PASS);
    const [plain, plainRes] = exchange();
    plain.method = 'OPTIONS';
    expect(guard.enter(plain, plainRes)).not.toBe(PASS);
    expect(registry.get('p')!.snapshot().totals.rejected).toBe(1);
  });

  it('shares keyed breakers between guards of the same name', () => {
    const registry = new BreakerRegistry();
    const options = { name: 'tenants', key: () => 'a' };
    const one = guardOf(registry, options);
    const two = guardOf(registry, options);
    const a = one.enter(...exchange());
    const b = two.enter(...exchange());
    expect(isAdmitted(a) && isAdmitted(b) && a.breaker === b.breaker).toBe(true);
    expect(registry.list().map((x) => x.name)).toEqual(['tenants:a']);
  });

  it('throws at construction when a named breaker exists with other options', () => {
    const registry = new BreakerRegistry();
    guardOf(registry, { name: 'x', failureThreshold: 2 });
    expect(() => guardOf(registry, { name: 'x', failureThreshold: 3 })).toThrow(TypeError);
  });

  it('stamps the state into a writeHead headers object, merging the expose list', async () => {
    const guard = guardOf(new BreakerRegistry());
    const res = await roundTrip(
      guarded(guard, (_req, res) => {
        res.writeHead(200, { 'access-control-expose-headers': 'ETag' });
        res.end('ok');
      }),
    );
    expect(res.headers['x-circuit-breaker-state']).toBe('closed');
    expect(res.headers['access-control-expose-headers']).toBe(
      'ETag, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
  });

  it('never changes the headers object handed to writeHead (it may be shared)', async () => {
    const guard = guardOf(new BreakerRegistry());
    const shared = Object.freeze({
      'Content-Type': 'text/plain',
      'Access-Control-Expose-Headers': 'ETag',
    });
    const plain = Object.freeze({ 'Content-Type': 'text/plain' });
    for (const headers of [shared, plain]) {
      const res = await roundTrip(
        guarded(guard, (_req, res) => {
          res.writeHead(200, 'OK', headers);
          res.end('ok');
        }),
      );
      expect(res.headers['x-circuit-breaker-state']).toBe('closed');
      const expected =
        headers === shared
          ? 'ETag, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope'
          : undefined;
      expect(res.headers['access-control-expose-headers']).toBe(expected);
    }
    expect(Object.keys(shared)).toEqual(['Content-Type', 'Access-Control-Expose-Headers']);
    expect(Object.keys(plain)).toEqual(['Content-Type']);
  });

  it('merges an expose list set with setHeader into the writeHead object’s head, once', async () => {
    const guard = guardOf(new BreakerRegistry());
    const res = await roundTrip(
      guarded(guard, (_req, res) => {
        res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }),
    );
    expect(res.headers['x-circuit-breaker-state']).toBe('closed');
    expect(res.headers['access-control-expose-headers']).toBe(
      'X-Request-Id, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
  });

  it('leaves a closed head given an object untouched with stateHeader when-not-closed', async () => {
    const guard = guardOf(new BreakerRegistry(), { stateHeader: 'when-not-closed' });
    const res = await roundTrip(
      guarded(guard, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-circuit-breaker-state']).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/plain');
  });

  it('keeps a state header the writeHead object already carries, whatever its case', async () => {
    const guard = guardOf(new BreakerRegistry());
    const res = await roundTrip(
      guarded(guard, (_req, res) => {
        res.writeHead(200, { 'X-CIRCUIT-BREAKER-STATE': 'upstream', 'Content-Type': 'text/plain' });
        res.end('ok');
      }),
    );
    expect(res.headers['x-circuit-breaker-state']).toBe('upstream');
    expect(res.headers['content-type']).toBe('text/plain');
  });

  it('leaves the app’s expose list as it is on a closed head with stateHeader when-not-closed', async () => {
    const guard = guardOf(new BreakerRegistry(), { stateHeader: 'when-not-closed' });
    const res = await roundTrip(
      guarded(guard, (_req, res) => {
        res.writeHead(200, { 'Access-Control-Expose-Headers': 'ETag' });
        res.end('ok');
      }),
    );
    expect(res.headers['x-circuit-breaker-state']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBe('ETag');
  });

  it('stamps every guard of a nested pair, the inner one with hooks of its own', async () => {
    const registry = new BreakerRegistry();
    const outer = guardOf(registry, { name: 'outer' });
    const inner = guardOf(registry, { name: 'inner', failureThreshold: 1 });
    const res = await roundTrip(
      guarded(
        outer,
        guarded(inner, (_req, res) => {
          res.statusCode = 500;
          res.end('boom');
        }),
      ),
    );
    expect(res.status).toBe(500);
    expect(res.headers['x-circuit-breaker-state']).toBe('closed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.get('inner')!.state).toBe('open');
    expect(registry.get('outer')!.snapshot().totals.failure).toBe(1);
  });

  it('does not let an outer guard record the 503 of an inner one', async () => {
    const registry = new BreakerRegistry();
    const outer = guardOf(registry, { name: 'outer', failureThreshold: 1 });
    const inner = guardOf(registry, { name: 'inner', failureThreshold: 1 });
    inner.breakers()[0]!.forceOpen();
    const app = guarded(
      outer,
      guarded(inner, () => {}),
    );
    const res = await roundTrip(app);
    expect(res.status).toBe(503);
    expect(res.headers['x-circuit-breaker-state']).toBe('open');
    expect(JSON.parse(res.body)).toMatchObject({ breaker: 'inner' });
    const outerBreaker = registry.get('outer')!;
    expect(outerBreaker.state).toBe('closed');
    expect(outerBreaker.snapshot().totals).toMatchObject({ failure: 0, ignored: 1 });
  });
});

describe('RequestGuard with the response cache', () => {
  it('taps nothing when the cache is off: no wrapped write/end, no extra listener', async () => {
    const guard = guardOf(new BreakerRegistry());
    expect(guard.cache).toBeUndefined();
    const seen: { ownWrite: boolean; ownEnd: boolean; finish: number; close: number }[] = [];
    await roundTrip(
      guarded(guard, (_req, res) => {
        seen.push({
          ownWrite: Object.hasOwn(res, 'write'),
          ownEnd: Object.hasOwn(res, 'end'),
          finish: res.listenerCount('finish'),
          close: res.listenerCount('close'),
        });
        res.end('ok');
      }),
    );
    const cached = guardOf(new BreakerRegistry(), { cache: true });
    await roundTrip(
      guarded(cached, (_req, res) => {
        seen.push({
          ownWrite: Object.hasOwn(res, 'write'),
          ownEnd: Object.hasOwn(res, 'end'),
          finish: res.listenerCount('finish'),
          close: res.listenerCount('close'),
        });
        res.end('ok');
      }),
    );
    expect(seen[0]).toMatchObject({ ownWrite: false, ownEnd: false });
    expect(seen[1]).toMatchObject({ ownWrite: true, ownEnd: true });
    expect(seen[1]!.close).toBe(seen[0]!.close + 1);
  });

  it.each([
    ['an object', { 'Content-Type': 'text/x-test', ETag: '"a"' }],
    ['a flat list', ['Content-Type', 'text/x-test', 'ETag', '"a"']],
  ])('stores the headers passed to writeHead as %s', async (_what, headers) => {
    // Each round trip is a new server (a new Host), so the key leaves the host out.
    const guard = guardOf(new BreakerRegistry(), { name: 'w', cache: { key: (r) => r.url } });
    const handler = guarded(guard, (_req, res) => {
      res.setHeader('X-Set', '1');
      res.writeHead(200, headers as never);
      res.end('body');
    });
    await roundTrip(handler);
    guard.breakers()[0]!.forceOpen();
    const served = await roundTrip(handler);
    expect(served.body).toBe('body');
    expect(served.headers).toMatchObject({
      'content-type': 'text/x-test',
      etag: '"a"',
      'x-set': '1',
      'x-circuit-breaker-state': 'open',
      'cache-status': 'breakwater; hit; detail=circuit-open',
    });
  });

  it('serves a hit from a synchronous store in the same call, from an asynchronous one through a promise', async () => {
    const memory = new MemoryCacheStore();
    const later: CacheStore = {
      get: async (key) => memory.get(key),
      set: async (key, record, ttl) => memory.set(key, record, ttl),
      delete: async (key) => memory.delete(key),
    };
    for (const [store, answersAt] of [
      [memory, 'at once'],
      [later, 'later'],
    ] as const) {
      const guard = guardOf(new BreakerRegistry(), { cache: { store, key: (r) => r.url } });
      const verdicts: unknown[] = [];
      const handler: Handler = (req, res) => {
        const verdict = guard.enter(req, res);
        verdicts.push(verdict);
        if (isAdmitted(verdict)) res.end('good');
      };
      await roundTrip(handler);
      await vi.waitFor(() => expect(memory.size).toBe(1)); // an asynchronous store commits later
      guard.breakers()[0]!.forceOpen();
      const served = await roundTrip(handler);
      expect(served.body).toBe('good');
      expect(served.headers['cache-status']).toBe('breakwater; hit; detail=circuit-open');
      if (answersAt === 'at once') expect(verdicts[1]).toBe(ANSWERED);
      else expect(verdicts[1]).toBeInstanceOf(Promise);
      memory.clear();
    }
  });

  it('serves each refusal the stored response with its age and the breaker state of the moment', () => {
    const sent: { host: unknown; status: number; headers: Record<string, unknown> }[] = [];
    const binding: FrameworkBinding<IncomingMessage, ServerResponse> = {
      ...nodeBinding(),
      send: (req, _res, reply) =>
        void sent.push({ host: req.headers.host, status: reply.status, headers: reply.headers }),
    };
    const guard = new RequestGuard(
      {
        registry: new BreakerRegistry(),
        clock,
        cache: true,
        failureThreshold: 1,
        openDuration: 10_500,
      },
      binding,
    );
    const enter = (host: string): unknown => {
      const [req, res] = exchange();
      req.url = '/a';
      req.headers = { host };
      return guard.enter(req, res);
    };
    expect(isAdmitted(enter('x') as never)).toBe(true); // creates the breaker
    const cache = guard.cache!.cache;
    const request = { method: 'GET', url: '/a', headers: { host: 'x' } };
    expect(cache.store(cache.admit(request)!, 200, { 'content-type': 'text/plain' }, 'good')).toBe(
      true,
    );
    const permit = guard.breakers()[0]!.tryAcquire();
    if (permit.admitted) permit.failure();

    expect(enter('x')).toBe(ANSWERED);
    clock.advance(1_500);
    expect(enter('x')).toBe(ANSWERED);
    expect(enter('y')).toBe(ANSWERED); // another host: another key, nothing stored under it
    clock.advance(8_700);
    expect(enter('x')).toBe(ANSWERED);
    clock.advance(400); // the same Age second, now half-open
    expect(isAdmitted(enter('x') as never)).toBe(true); // the probe
    expect(enter('x')).toBe(ANSWERED);
    expect(
      sent.map((s) => [s.host, s.status, s.headers['age'], s.headers['X-Circuit-Breaker-State']]),
    ).toEqual([
      ['x', 200, '0', 'open'],
      ['x', 200, '1', 'open'],
      ['y', 503, undefined, 'open'],
      ['x', 200, '10', 'open'],
      ['x', 200, '10', 'half-open'],
    ]);
  });

  it('records the handler’s 5xx as a failure when stale-if-error replaced it', async () => {
    const guard = guardOf(new BreakerRegistry(), {
      name: 's',
      failureThreshold: 5,
      cache: { staleIfError: true, key: (r) => r.url },
    });
    let status = 200;
    const handler = guarded(guard, (_req, res) => {
      res.statusCode = status;
      res.end(status === 200 ? 'good' : 'bad');
    });
    await roundTrip(handler);
    status = 502;
    const served = await roundTrip(handler);
    expect(served.status).toBe(200);
    expect(served.body).toBe('good');
    expect(served.headers['x-circuit-breaker-state']).toBe('closed');
    expect(guard.breakers()[0]!.snapshot().totals).toMatchObject({ success: 1, failure: 1 });
  });
});
