// The client against real node:http servers on 127.0.0.1 that declare breaker scopes with core's helpers.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '@breakwater/core';
import { ORIGIN_SCOPE, prefixScope, routeScope } from '@breakwater/core/adapter';
import { createFetch, isShortCircuit, type BreakwaterFetch } from '@breakwater/client';
import { scopeServer } from './scope-server.js';

/** Sends `METHOD path` and answers whether the client short-circuited it locally (body read either way). */
async function local(fetch: BreakwaterFetch, url: string, method = 'GET'): Promise<boolean> {
  const response = await fetch(url, { method });
  await response.arrayBuffer();
  return isShortCircuit(response);
}

describe('the client follows the scope a real server declares', () => {
  it('short-circuits calls to an open route and lets another route’s calls go out', async () => {
    const server = await scopeServer();
    const fetch = createFetch({ clock: new ManualClock(Date.now()) });
    server.open(routeScope('GET', '/users/:id'), 30_000);

    const first = await fetch(`${server.url}/users/1`);
    expect(first.status).toBe(503);
    expect(first.headers.get('x-circuit-breaker-scope')).toBe('GET,HEAD /users/:id');
    await first.arrayBuffer();

    expect(await local(fetch, `${server.url}/users/2`)).toBe(true);
    expect(await local(fetch, `${server.url}/users/3`, 'HEAD')).toBe(true);
    expect(await local(fetch, `${server.url}/orders/1`)).toBe(false);
    expect(await local(fetch, `${server.url}/users/2`, 'DELETE')).toBe(false);
    expect(await local(fetch, `${server.url}/`)).toBe(false);
    expect(server.hits).toEqual(['GET /users/1', 'GET /orders/1', 'DELETE /users/2', 'GET /']);

    const shortCircuit = await fetch(`${server.url}/users/9`);
    expect(shortCircuit.headers.get('x-circuit-breaker-scope')).toBe('GET,HEAD /users/:id');
    expect(await shortCircuit.json()).toMatchObject({
      scope: { methods: ['GET', 'HEAD'], path: '/users/:id' },
      retryAfter: 30,
    });
  });

  it('lets an open app-level breaker cover every route, and a mount cover its prefix', async () => {
    const app = await scopeServer();
    const mount = await scopeServer();
    const fetch = createFetch({ clock: new ManualClock(Date.now()) });
    app.open(ORIGIN_SCOPE, 30_000);
    mount.open(prefixScope('/billing'), 30_000);

    expect(await local(fetch, `${app.url}/users/1`)).toBe(false);
    for (const [path, method] of [
      ['/users/1', 'GET'],
      ['/orders/7', 'POST'],
      ['/', 'DELETE'],
    ]) {
      expect(await local(fetch, `${app.url}${path}`, method)).toBe(true);
    }
    expect(app.hits).toHaveLength(1);

    expect(await local(fetch, `${mount.url}/billing/invoices/3`, 'POST')).toBe(false);
    expect(await local(fetch, `${mount.url}/billing`)).toBe(true);
    expect(await local(fetch, `${mount.url}/billing/x/y`, 'PUT')).toBe(true);
    expect(await local(fetch, `${mount.url}/billing-archive`)).toBe(false);
    expect(mount.hits).toEqual(['POST /billing/invoices/3', 'GET /billing-archive']);
  });

  it('keeps two open route breakers as two scopes that close on their own probes', async () => {
    const server = await scopeServer();
    const clock = new ManualClock(Date.now());
    const fetch = createFetch({ clock });
    server.open(routeScope('GET', '/users/:id'), 5_000);
    server.open(routeScope('POST', '/orders'), 60_000);
    expect(await local(fetch, `${server.url}/users/1`)).toBe(false);
    expect(await local(fetch, `${server.url}/orders`, 'POST')).toBe(false);
    expect(fetch.scopeCount).toBe(2);
    expect(await local(fetch, `${server.url}/users/2`)).toBe(true);
    expect(await local(fetch, `${server.url}/orders`, 'POST')).toBe(true);
    expect(await local(fetch, `${server.url}/orders`)).toBe(false); // GET /orders: no breaker

    server.closeAll();
    clock.advance(5_000);
    const probe = await fetch(`${server.url}/users/2`);
    expect(probe.status).toBe(200);
    await probe.arrayBuffer();
    expect(fetch.scopeCount).toBe(1);
    expect(await local(fetch, `${server.url}/users/3`)).toBe(false);
    expect(await local(fetch, `${server.url}/orders`, 'POST')).toBe(true);
  });

  it('narrows a malformed scope header to the call that got it', async () => {
    const server = await scopeServer();
    const fetch = createFetch({ clock: new ManualClock(Date.now()), maxRetryAfter: 10_000 });
    server.open(ORIGIN_SCOPE, 600_000, '* http://127.0.0.1:1/* ; evil');
    expect(await local(fetch, `${server.url}/users/1`)).toBe(false);
    expect(fetch.scopeState(`${server.url}/users/1`)).toMatchObject({
      scope: `${server.url} GET /users/1`,
      state: 'open',
    });
    expect(await local(fetch, `${server.url}/users/1`)).toBe(true);
    expect(await local(fetch, `${server.url}/users/2`)).toBe(false);
    const local503 = await fetch(`${server.url}/users/1`);
    // Never longer than maxRetryAfter, whatever the server asked for.
    expect(local503.headers.get('retry-after')).toBe('10');
    await local503.arrayBuffer();
  });

  it('never lets one origin’s scope touch another origin', async () => {
    const hostile = await scopeServer();
    const other = await scopeServer();
    const fetch = createFetch({ clock: new ManualClock(Date.now()) });
    hostile.open(ORIGIN_SCOPE, 30_000);
    expect(await local(fetch, `${hostile.url}/`)).toBe(false);
    expect(await local(fetch, `${hostile.url}/a`)).toBe(true);
    expect(await local(fetch, `${other.url}/a`)).toBe(false);
    expect(await local(fetch, `${other.url}/`)).toBe(false);
    expect(other.hits).toEqual(['GET /a', 'GET /']);
  });
});
