// The adapter on @hono/node-server: the state goes onto Node's head, the handler's Response is left as it is.

import type { AddressInfo } from 'node:net';
import { BreakerRegistry } from '@breakwater/core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { circuitBreaker } from './middleware.js';

const servers: ReturnType<typeof serve>[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen(app: Hono): Promise<string> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('circuitBreaker on @hono/node-server', () => {
  it('writes the handler’s headers as bare Hono does, with the state added', async () => {
    const bare = new Hono();
    const guarded = new Hono();
    guarded.use(circuitBreaker({ name: 'untyped', registry: new BreakerRegistry() }));
    for (const app of [bare, guarded]) {
      app.get('/', (c) => c.body('plain', 200, { 'X-Request-Id': '7' }));
    }
    const [plain, stamped] = await Promise.all([
      fetch(await listen(bare)),
      fetch(await listen(guarded)),
    ]);
    expect(stamped.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(stamped.headers.get('x-request-id')).toBe('7');
    // @hono/node-server writes a plain-object head as it is (no default type) until it is read.
    expect(plain.headers.get('content-type')).toBeNull();
    expect(stamped.headers.get('content-type')).toBeNull();
    expect(await stamped.text()).toBe('plain');
  });

  it('sends one state header under nested guards, and both record the call', async () => {
    const registry = new BreakerRegistry();
    const app = new Hono();
    app.use(circuitBreaker({ name: 'outer', registry }));
    app.get('/', circuitBreaker({ name: 'inner', registry }), (c) => c.text('ok', 500));
    const url = await listen(app);
    const res = await fetch(url);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(registry.get('outer')!.snapshot().totals.failure).toBe(1);
    expect(registry.get('inner')!.snapshot().totals.failure).toBe(1);
  });

  it('merges the app’s expose list on the Node head of a cross-origin request', async () => {
    const app = new Hono();
    app.use(circuitBreaker({ name: 'cors', registry: new BreakerRegistry() }));
    app.get('/', (c) => c.json({ ok: true }, 200, { 'Access-Control-Expose-Headers': 'ETag' }));
    const res = await fetch(await listen(app), { headers: { origin: 'http://example.test' } });
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'ETag, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
  });
});
