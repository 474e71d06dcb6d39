// adminEndpoint() over a real HTTP server on 127.0.0.1: authorize, list, actions, configure, bad input.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { ManualClock } from '../clock.js';
import { parseBreakerOptions } from '../configuration.js';
import type { AdminEvent } from '../events.js';
import { BreakerRegistry } from '../registry.js';
import { adminEndpoint } from './admin-endpoint.js';

const allowed = (req: IncomingMessage): string | false =>
  req.headers['x-admin'] === 'yes' ? 'alice' : false;
const json = { 'x-admin': 'yes', 'content-type': 'application/json' };

async function serve() {
  const registry = new BreakerRegistry();
  const clock = new ManualClock(0);
  const orders = registry.obtain({ name: 'orders', registry, clock });
  const ordersV2 = registry.obtain({ name: 'orders-v2', registry, clock });
  const tenants = registry.family('tenant', parseBreakerOptions({ registry, clock }), 10);
  const acme = tenants.get('acme');
  const logged: string[] = [];
  const events: AdminEvent[] = [];
  registry.onAdmin((event) => events.push(event));
  const admin = adminEndpoint({
    authorize: allowed,
    registry,
    maxBodyBytes: 256,
    logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  const base = `${await serveForTest((req, res) => void admin.handle(req, res))}/admin`;
  const post = (path: string, body?: string, headers: Record<string, string> = json) =>
    fetch(`${base}/breakers/${path}`, { method: 'POST', headers, body });
  return { registry, orders, ordersV2, tenants, acme, logged, events, base, post };
}

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { type: string; status: number; detail: string };
}

describe('adminEndpoint()', () => {
  it('requires authorize', () => {
    expect(() => adminEndpoint({} as never)).toThrow(/option "authorize" must be a function/);
  });

  it('answers a refused request 403 and changes nothing', async () => {
    const { post, orders, base } = await serve();
    const response = await post('orders/force-open', '', { 'content-type': 'application/json' });
    expect(response.status).toBe(403);
    expect((await problem(response)).type).toBe('urn:breakwater:problem:admin:forbidden');
    expect(orders.state).toBe('closed');
    expect((await fetch(base)).status).toBe(403);
  });

  it('lists every breaker as the health endpoint does', async () => {
    const { base } = await serve();
    const response = await fetch(base, { headers: { 'x-admin': 'yes' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; breakers: { name: string }[] };
    expect(body.status).toBe('ok');
    expect(body.breakers.map((b) => b.name)).toEqual(['orders', 'orders-v2', 'tenant:acme']);
    const one = await fetch(`${base}/breakers/orders`, { headers: { 'x-admin': 'yes' } });
    expect(((await one.json()) as { name: string }).name).toBe('orders');
  });

  it("accepts the dashboard's request, logs it and emits an admin event naming who", async () => {
    const { post, orders, logged, events } = await serve();
    const response = await post('orders/force-open', undefined, {
      'x-admin': 'yes',
      'x-breakwater-dashboard': '1',
    });
    expect(response.status).toBe(200);
    expect(orders.state).toBe('forced-open');
    const body = (await response.json()) as { by: string; breakers: { state: string }[] };
    expect(body.by).toBe('alice');
    expect(body.breakers[0]!.state).toBe('forced-open');
    expect(events).toMatchObject([{ breaker: 'orders', action: 'force-open', by: 'alice' }]);
    expect(logged.join('\n')).toMatch(/alice force-open "orders" → orders/);
    expect((await post('orders/reset', '')).status).toBe(200);
    expect(orders.state).toBe('closed');
  });

  it('refuses a POST that is neither JSON nor from the dashboard (a cross-site form)', async () => {
    const { post, orders } = await serve();
    const response = await post('orders/disable', 'a=b', {
      'x-admin': 'yes',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
    expect(orders.state).toBe('closed');
  });

  it('operates a prefix and a keyed family, new keys included', async () => {
    const { post, orders, ordersV2, tenants, acme } = await serve();
    expect((await post(`${encodeURIComponent('orders*')}/disable`)).status).toBe(200);
    expect([orders.state, ordersV2.state]).toEqual(['disabled', 'disabled']);
    const response = await post(`${encodeURIComponent('tenant:')}/shadow`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { families: string[] }).families).toEqual(['tenant']);
    expect(acme.mode).toBe('shadow');
    expect(tenants.get('globex').mode).toBe('shadow');
  });

  it('changes options with configure, and names a bad one, changing nothing', async () => {
    const { post, orders, ordersV2 } = await serve();
    const ok = await post(
      'orders/configure',
      JSON.stringify({ failureThreshold: 2, timeout: 500 }),
    );
    expect(ok.status).toBe(200);
    expect(orders.config.failureThreshold).toBe(2);
    expect(orders.config.timeout).toBe(500);

    const bad = await post(
      `${encodeURIComponent('orders*')}/configure`,
      JSON.stringify({ failureThreshold: 3, openDuration: -5 }),
    );
    expect(bad.status).toBe(400);
    expect((await problem(bad)).detail).toMatch(/option "openDuration" must be/);
    expect([orders.config.failureThreshold, ordersV2.config.failureThreshold]).toEqual([2, 5]);

    const unknown = await post('orders/configure', JSON.stringify({ failureTreshold: 3 }));
    expect((await problem(unknown)).detail).toMatch(/unknown option "failureTreshold"/);
    const fixed = await post('orders/configure', JSON.stringify({ name: 'x' }));
    expect((await problem(fixed)).detail).toMatch(/option "name" cannot change/);
    const badJson = await post('orders/configure', '{"failureThreshold":');
    expect(badJson.status).toBe(400);
    expect((await problem(badJson)).type).toMatch(/bad-json$/);
    const array = await post('orders/configure', '[1]');
    expect((await problem(array)).type).toMatch(/bad-body$/);
    const large = await post('orders/configure', JSON.stringify({ pad: 'x'.repeat(400) }));
    expect(large.status).toBe(413);
    expect(orders.config.failureThreshold).toBe(2);
  });

  it('answers unknown breakers, actions and methods with a 4xx problem', async () => {
    const { post, base } = await serve();
    const missing = await post('nope/force-open');
    expect(missing.status).toBe(404);
    expect((await problem(missing)).detail).toMatch(/"nope"/);
    const action = await post('orders/explode');
    expect(action.status).toBe(404);
    expect((await problem(action)).detail).toMatch(/"explode"/);
    const method = await fetch(`${base}/breakers/orders/reset`, {
      method: 'DELETE',
      headers: json,
    });
    expect(method.status).toBe(405);
  });
});
