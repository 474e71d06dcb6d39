// The client backs off from real Express, Koa and Fastify servers guarded by the Breakwater adapters.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@breakwater/core';
import { PROBLEM_TYPE } from '@breakwater/core/adapter';
import { createFetch, type ScopeCloseEvent, type ScopeOpenEvent } from '@breakwater/client';
import {
  expressServer,
  fastifyServer,
  koaServer,
  type AdapterServerFactory,
  type RunningServer,
} from './servers.js';

const adapters: [string, AdapterServerFactory][] = [
  ['express', expressServer],
  ['koa', koaServer],
  ['fastify', fastifyServer],
];

describe.each(adapters)('the client against %s', (_name, start) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('stops calling while the breaker is open, then probes and closes once it recovers', async () => {
    const serverClock = new ManualClock();
    const clientClock = new ManualClock(Date.now());
    let failing = true;
    server = await start({ clock: serverClock, failing: () => failing });
    const opened: ScopeOpenEvent[] = [];
    const closed: ScopeCloseEvent[] = [];
    const fetch = createFetch({
      clock: clientClock,
      onOpen: (e) => opened.push(e),
      onClose: (e) => closed.push(e),
    });
    const url = `${server.url}/work`;

    // The first failure trips the server's breaker; the client sees a plain 500 and keeps going.
    const failure = await fetch(url);
    expect(failure.status).toBe(500);
    await failure.text();

    // The next answer is the server's short-circuit: the client opens the route's declared scope
    // (`GET,HEAD /work`) for its Retry-After.
    const rejected = await fetch(url);
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('x-circuit-breaker-state')).toBe('open');
    expect(rejected.headers.get('retry-after')).toBe('5');
    expect(rejected.headers.get('x-breakwater-client')).toBeNull();
    expect(((await rejected.json()) as { type: string }).type).toBe(PROBLEM_TYPE);
    expect(rejected.headers.get('x-circuit-breaker-scope')).toBe('GET,HEAD /work');
    const scope = `${server.url} GET,HEAD /work`;
    expect(opened).toMatchObject([{ scope, state: 'open', retryAfterMs: 5000 }]);
    expect(server.hits()).toBe(2);

    // Another route of the same origin is not covered: its calls go out.
    const other = await fetch(`${server.url}/other`);
    expect(other.status).toBe(200);
    expect(await other.text()).toBe('other');
    expect(server.hits()).toBe(3);

    // While open, calls resolve locally and never reach the server.
    clientClock.advance(2000);
    for (let i = 0; i < 5; i += 1) {
      const local = await fetch(url);
      expect(local.status).toBe(503);
      expect(local.headers.get('x-breakwater-client')).toBe('short-circuit');
      expect(local.headers.get('retry-after')).toBe('3');
      expect(local.headers.get('x-circuit-breaker-state')).toBe('open');
      expect(local.headers.get('x-circuit-breaker-scope')).toBe('GET,HEAD /work');
    }
    expect(server.hits()).toBe(3);

    // Once the server's time is up, one probe goes out; the recovered route closes both sides.
    failing = false;
    serverClock.advance(5000);
    clientClock.advance(3000);
    const probe = await fetch(url);
    expect(probe.status).toBe(200);
    expect(await probe.text()).toBe('done');
    expect(closed).toMatchObject([{ scope }]);
    expect(server.hits()).toBe(4);
    expect((await fetch(url)).status).toBe(200);
    expect(server.hits()).toBe(5);
  });

  it('waits out the Retry-After and retries a GET when retries are on', async () => {
    const serverClock = new ManualClock();
    const clientClock = new ManualClock(Date.now());
    let failing = true;
    server = await start({ clock: serverClock, failing: () => failing });
    const fetch = createFetch({ clock: clientClock, retry: { jitter: 'none' } });
    const url = `${server.url}/work`;
    await (await fetch(url)).text(); // 500: trips the breaker

    const pending = fetch(url);
    // Let the 503 arrive and the retry wait start (bounded; real I/O, no clock involved).
    for (let i = 0; i < 500 && clientClock.pendingTimers === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(clientClock.pendingTimers).toBe(1);
    expect(server.hits()).toBe(2);

    failing = false;
    serverClock.advance(5000);
    clientClock.advance(5000);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(server.hits()).toBe(3);
  });
});
