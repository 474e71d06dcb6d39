// dashboardEndpoint() over a real HTTP server on 127.0.0.1: authorize, the page, the stream, the client bound.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { CircuitBreaker } from '../circuit-breaker.js';
import { ManualClock } from '../clock.js';
import { BreakerRegistry } from '../registry.js';
import { dashboardEndpoint, type DashboardEndpoint } from './dashboard-endpoint.js';
import type { DashboardOptions } from './dashboard-options.js';

const allowed = (req: IncomingMessage): boolean => req.headers['x-admin'] === 'yes';
const admin = { headers: { 'x-admin': 'yes' } };

async function serve(
  options: Partial<DashboardOptions<IncomingMessage>> = {},
): Promise<{ base: string; dashboard: DashboardEndpoint; registry: BreakerRegistry }> {
  const registry = new BreakerRegistry();
  new CircuitBreaker({ name: 'orders', registry, clock: new ManualClock() });
  const dashboard = dashboardEndpoint({
    authorize: allowed,
    registry,
    clock: new ManualClock(),
    ...options,
  });
  const base = await serveForTest((req, res) => void dashboard.handle(req, res));
  return { base: `${base}/breakwater`, dashboard, registry };
}

interface EventReader {
  /** Reads until `count` more events arrived or the stream ended; returns them. */
  next(count: number): Promise<{ type: string; data: unknown }[]>;
  /** Drops the connection. */
  cancel(): Promise<void>;
}

/** Reads Server-Sent Events off a response body. */
function eventsOf(response: Response): EventReader {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  return {
    async next(count) {
      const events: { type: string; data: unknown }[] = [];
      while (events.length < count) {
        let end: number;
        while (events.length < count && (end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) });
        }
        if (events.length >= count) break;
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      return events;
    },
    cancel: () => reader.cancel(),
  };
}

describe('dashboardEndpoint', () => {
  it('refuses a request authorize refuses, or throws on, with 403, listening to nothing', async () => {
    const errors: string[] = [];
    const { base, dashboard, registry } = await serve({
      authorize: (req) => {
        if (req.headers['x-admin'] === 'throw') throw new Error('token store down');
        return false;
      },
      logger: { warn: () => {}, error: (m) => errors.push(m) },
    });
    for (const headers of [{}, { 'x-admin': 'throw' }] as Record<string, string>[]) {
      for (const path of ['', '?events']) {
        const res = await fetch(`${base}${path}`, { headers });
        expect(res.status).toBe(403);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.text()).toBe('Forbidden\n');
      }
    }
    expect(dashboard.clients).toBe(0);
    expect(registry.stateChangeEvents.active || registry.callEvents.active).toBe(false);
    expect(errors[0]).toMatch(/authorize threw.*token store down/);
  });

  it('waits for an async authorize', async () => {
    const { base } = await serve({ authorize: async (req) => allowed(req) });
    expect((await fetch(base, admin)).status).toBe(200);
    expect((await fetch(base)).status).toBe(403);
  });

  it('serves one self-contained page pinned by a Content-Security-Policy', async () => {
    const { base } = await serve({ title: 'Shop <api>', adminPath: '/admin' });
    const res = await fetch(base, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h1>Shop &lt;api&gt;</h1>');
    expect(html).toContain('"adminPath":"/admin"');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/); // nothing loaded from elsewhere
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const { base } = await serve();
    const head = await fetch(base, { ...admin, method: 'HEAD' });
    expect(head.status).toBe(200);
    const post = await fetch(base, { ...admin, method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('streams a snapshot of every breaker as Server-Sent Events', async () => {
    const { base, dashboard } = await serve();
    const res = await fetch(`${base}?events`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = eventsOf(res);
    const [snapshot] = await stream.next(1);
    expect(snapshot).toMatchObject({
      type: 'snapshot',
      data: { breakers: [{ name: 'orders', state: 'closed', family: null }] },
    });
    expect(dashboard.clients).toBe(1);
    await stream.cancel();
  });

  it('holds the client bound: one stream more gets 503 until one leaves', async () => {
    const { base, dashboard } = await serve({ maxClients: 2 });
    const first = eventsOf(await fetch(`${base}?events`, admin));
    const second = eventsOf(await fetch(`${base}?events`, admin));
    await first.next(1);
    await second.next(1);
    const third = await fetch(`${base}?events`, admin);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('10');
    expect((await fetch(base, admin)).status).toBe(200); // the page itself is not bounded
    await first.cancel();
    await expect.poll(() => dashboard.clients).toBe(1);
    const fourth = await fetch(`${base}?events`, admin);
    expect(fourth.status).toBe(200);
    await eventsOf(fourth).cancel();
    await second.cancel();
  });

  it('close() ends every stream, stops listening, and answers later requests with 503', async () => {
    const { base, dashboard, registry } = await serve();
    const stream = eventsOf(await fetch(`${base}?events`, admin));
    await stream.next(1);
    expect(registry.stateChangeEvents.active).toBe(true);
    dashboard.close();
    expect(await stream.next(1)).toEqual([]); // the stream ended
    expect(registry.stateChangeEvents.active || registry.callEvents.active).toBe(false);
    expect((await fetch(base, admin)).status).toBe(503);
  });
});
