// Tests for Guard over raw node:http: naming, sharing, nesting, header stamping and the cache seam.

import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { BreakerRegistry } from '../registry.js';
import { Guard } from './guard.js';
import { parseGuardOptions, type GuardOptions } from './guard-options.js';
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

/** A guarding middleware over raw node:http, as an adapter would write it. */
function guarded(guard: Guard<IncomingMessage>, next: Handler, route?: string): Handler {
  return (req, res) => {
    const decision = guard.admit(req, route);
    if (decision === undefined) return next(req, res);
    if (decision.admitted) {
      decision.attach(req, res);
      return next(req, res);
    }
    void guard.shortCircuit(decision, {
      req,
      res,
      onReject: undefined,
      responded: () => res.headersSent,
      write: (reply) => {
        res.writeHead(reply.status, reply.headers as Record<string, string | string[]>);
        res.end(reply.body);
      },
    });
  };
}

function guardOf(registry: BreakerRegistry, options: GuardOptions<IncomingMessage> = {}) {
  return new Guard(
    parseGuardOptions<IncomingMessage>({ registry, clock: new ManualClock(), ...options }),
  );
}

describe('Guard', () => {
  it('names breakers after the route, HEAD sharing the GET breaker', () => {
    const registry = new BreakerRegistry();
    const guard = guardOf(registry);
    guard.admit({} as IncomingMessage, routeBreakerName('GET', '/users/:id'));
    guard.admit({} as IncomingMessage, routeBreakerName('HEAD', '/users/:id'));
    expect(registry.list().map((b) => b.name)).toEqual(['GET /users/:id']);
  });

  it('falls back to a fresh breaker-N name when no route is known', () => {
    const registry = new BreakerRegistry();
    guardOf(registry).admit({} as IncomingMessage);
    expect(registry.list()[0]!.name).toMatch(/^breaker-\d+$/);
  });

  it('shares keyed breakers between guards of the same name', () => {
    const registry = new BreakerRegistry();
    const options = { name: 'tenants', key: () => 'a' };
    const one = guardOf(registry, options);
    const two = guardOf(registry, options);
    const a = one.admit({} as IncomingMessage);
    const b = two.admit({} as IncomingMessage);
    expect(a?.breaker).toBe(b?.breaker);
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
      'ETag, Retry-After, X-Circuit-Breaker-State',
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
        headers === shared ? 'ETag, Retry-After, X-Circuit-Breaker-State' : undefined;
      expect(res.headers['access-control-expose-headers']).toBe(expected);
    }
    expect(Object.keys(shared)).toEqual(['Content-Type', 'Access-Control-Expose-Headers']);
    expect(Object.keys(plain)).toEqual(['Content-Type']);
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
    inner.admit({} as IncomingMessage)!.breaker.forceOpen();
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

  it('serves what the cache seam offers instead of the 503, and offers admitted responses to capture', async () => {
    const guard = guardOf(new BreakerRegistry(), { name: 'cached' });
    const captured: number[] = [];
    guard.responseHooks = {
      fallback: () => ({
        status: 200,
        headers: { 'X-Circuit-Breaker-State': 'open' },
        body: 'stale',
      }),
      capture: (_req, res) => res.once('finish', () => captured.push(res.statusCode)),
    };
    const handler = guarded(guard, (_req, res) => res.end('fresh'));
    expect((await roundTrip(handler)).body).toBe('fresh');
    expect(captured).toEqual([200]);
    guard.breakers()[0]!.forceOpen();
    const res = await roundTrip(handler);
    expect(res.status).toBe(200);
    expect(res.body).toBe('stale');
  });
});

describe('Guard with the response cache', () => {
  it('taps nothing when the cache is off: no wrapped write/end, no extra listener', async () => {
    const guard = guardOf(new BreakerRegistry());
    expect(guard.responseHooks).toBeUndefined();
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
