// The admin API scenario every adapter runs over real HTTP: authorize, list, force-open, shadow, configure, bad input.

import { expect } from 'vitest';

/** What the scenario records of an admin event (a slice of core's `AdminEvent`). */
interface AdminEventSeen {
  readonly action: string;
  readonly by?: string | undefined;
}

/**
 * The slice of a `BreakerRegistry` the scenario reads. Structural, so that this package depends on
 * no Breakwater package (core's own suites use it).
 */
export interface AdminRegistry {
  onAdmin(listener: (event: AdminEventSeen) => void): { dispose(): void };
  get(name: string):
    | {
        readonly state: string;
        readonly config: { readonly failureThreshold?: number | undefined };
        snapshot(): { readonly totals: { readonly wouldReject: number } };
      }
    | undefined;
}

/**
 * Runs the scenario against a server at `base` whose admin API is mounted at `${base}/admin` and
 * whose `GET ${base}/orders` is guarded by the breaker named `orders` of `registry`, answering 200.
 * `authorize` must let `x-admin: yes` in as `alice`. `appParsesJson`: the app's own JSON parser
 * runs first, so it (not the admin API) answers bad JSON.
 */
export async function adminScenario(
  base: string,
  registry: AdminRegistry,
  { appParsesJson = false }: { appParsesJson?: boolean } = {},
): Promise<void> {
  const events: AdminEventSeen[] = [];
  const stop = registry.onAdmin((event) => events.push(event));
  const admin = `${base}/admin`;
  const post = (path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${admin}/breakers/${path}`, {
      method: 'POST',
      headers: { 'x-admin': 'yes', 'content-type': 'application/json', ...headers },
      body,
    });
  try {
    expect((await fetch(`${base}/orders`)).status).toBe(200);
    const orders = registry.get('orders')!;

    // refused: 403, nothing changes
    const refused = await fetch(`${admin}/breakers/orders/force-open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(403);
    expect(orders.state).toBe('closed');

    // the list is the health JSON
    const list = await fetch(admin, { headers: { 'x-admin': 'yes' } });
    expect(list.status).toBe(200);
    const health = (await list.json()) as { breakers: { name: string }[] };
    expect(health.breakers.map((b) => b.name)).toContain('orders');

    // the dashboard's request forces it open; the guarded route answers 503
    const forced = await fetch(`${admin}/breakers/orders/force-open`, {
      method: 'POST',
      headers: { 'x-admin': 'yes', 'X-Breakwater-Dashboard': '1' },
    });
    expect(forced.status).toBe(200);
    expect(orders.state).toBe('forced-open');
    expect((await fetch(`${base}/orders`)).status).toBe(503);

    // shadow: admitted, marked open
    expect((await post('orders/shadow')).status).toBe(200);
    const shadowed = await fetch(`${base}/orders`);
    expect(shadowed.status).toBe(200);
    expect(shadowed.headers.get('x-circuit-breaker-state')).toBe('open');
    expect(orders.snapshot().totals.wouldReject).toBe(1);
    expect((await post('orders/enforce')).status).toBe(200);
    expect((await post('orders/reset')).status).toBe(200);
    expect((await fetch(`${base}/orders`)).status).toBe(200);

    // configure: good, then bad (nothing changes)
    const ok = await post('orders/configure', JSON.stringify({ failureThreshold: 2 }));
    expect(ok.status).toBe(200);
    expect(orders.config.failureThreshold).toBe(2);
    const bad = await post('orders/configure', JSON.stringify({ failureThreshold: 'two' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/"failureThreshold"/);
    const badJson = await post('orders/configure', '{"failureThreshold"');
    expect(badJson.status).toBe(400);
    if (!appParsesJson) {
      expect(badJson.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const unknown = await post('nope/reset');
    expect(unknown.status).toBe(404);
    const form = await post('orders/disable', 'a=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(orders.state).toBe('closed');
    expect(orders.config.failureThreshold).toBe(2);

    expect(events.map((e) => `${e.action}:${e.by}`)).toEqual([
      'force-open:alice',
      'shadow:alice',
      'enforce:alice',
      'reset:alice',
      'configure:alice',
    ]);
  } finally {
    stop.dispose();
  }
}
