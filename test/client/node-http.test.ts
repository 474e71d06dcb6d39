// The client against a plain node:http server answering with core's rejectionResponse, hostile headers included.

import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@breakwater/core';
import { problemDetails, Rejection, rejectionResponse } from '@breakwater/core/adapter';
import { createFetch, type ScopeOpenEvent } from '@breakwater/client';
import { scriptedServer, type RunningServer } from './servers.js';

function reject(state: 'open' | 'half-open', retryAfterMs: number) {
  return (_req: unknown, res: ServerResponse): void => {
    const reply = rejectionResponse(new Rejection('GET /data', state, retryAfterMs));
    res.writeHead(reply.status, { ...reply.headers, Date: new Date().toUTCString() });
    res.end(reply.body);
  };
}

function answer(body = 'fresh') {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Circuit-Breaker-State': 'closed' });
    res.end(body);
  };
}

/** A 503 with raw header lines, repeated names kept as separate lines. */
function raw503(headers: [string, string][]) {
  return (_req: unknown, res: ServerResponse): void => {
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    res.writeHead(503, flat);
    res.end('{}');
  };
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the client against core rejectionResponse over node:http', () => {
  it('answers locally with the same headers and problem shape as the server, without calling it', async () => {
    server = await scriptedServer(reject('open', 12_000), answer());
    const clock = new ManualClock(Date.now());
    const fetch = createFetch({ clock });
    const remote = await fetch(`${server.url}/data`);
    const remoteBody = (await remote.json()) as Record<string, unknown>;

    const local = await fetch(`${server.url}/data`);
    const localBody = (await local.json()) as Record<string, unknown>;
    expect(server.hits()).toBe(1);
    expect(local.status).toBe(remote.status);
    expect(local.headers.get('retry-after')).toBe(remote.headers.get('retry-after'));
    expect(local.headers.get('x-circuit-breaker-state')).toBe('open');
    expect(local.headers.get('content-type')).toBe(remote.headers.get('content-type'));
    expect(local.headers.get('cache-control')).toBe('no-store');
    expect(local.headers.get('x-breakwater-client')).toBe('short-circuit');
    // Same members, same fixed values; `breaker` names the client's scope instead of the server's breaker.
    // The local body also states its scope (`scope`), as a scope-declaring server's body does.
    const serverShape = problemDetails(new Rejection('x', 'open', 12_000));
    expect(new Set(Object.keys(localBody))).toEqual(
      new Set([...Object.keys(serverShape), 'scope']),
    );
    expect(localBody).toMatchObject({
      type: remoteBody.type,
      title: remoteBody.title,
      status: remoteBody.status,
      state: remoteBody.state,
      retryAfter: 12,
      breaker: server.url,
    });
  });

  it('lets one call at a time through a half-open server and closes on the first good answer', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server = await scriptedServer(reject('half-open', 0), (_req, res) => {
      void held.then(() => answer('probe ok')(_req, res));
    });
    const fetch = createFetch({ clock: new ManualClock(Date.now()) });
    const first = await fetch(`${server.url}/data`);
    expect(first.headers.get('x-circuit-breaker-state')).toBe('half-open');
    await first.arrayBuffer();

    const probe = fetch(`${server.url}/data`);
    const others = await Promise.all([fetch(`${server.url}/a`), fetch(`${server.url}/b`)]);
    for (const other of others) {
      expect(other.headers.get('x-breakwater-client')).toBe('short-circuit');
      expect(other.headers.get('x-circuit-breaker-state')).toBe('half-open');
      expect(other.headers.get('retry-after')).toBe('1');
    }
    release();
    expect(await (await probe).text()).toBe('probe ok');
    expect(fetch.scopeCount).toBe(0);
    expect(server.hits()).toBe(2);
  });

  it('retries after Retry-After, and an abort during the wait rejects at once and frees the timer', async () => {
    server = await scriptedServer(reject('open', 3000), answer());
    const clock = new ManualClock(Date.now());
    const fetch = createFetch({ clock, retry: { jitter: 'none' } });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/data`, { signal: controller.signal });
    for (let i = 0; i < 500 && clock.pendingTimers === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('navigated away');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(server.hits()).toBe(1);
  });
});

describe('hostile headers from a real server are clamped', () => {
  const cases: [string, [string, string][], number][] = [
    ['a huge delay', [['Retry-After', '9'.repeat(300)]], 300],
    ['a delay of a day', [['Retry-After', '86400']], 300],
    ['a negative delay', [['Retry-After', '-100']], 1],
    ['a fractional delay', [['Retry-After', '4.2']], 5],
    ['garbage', [['Retry-After', 'banana']], 1],
    ['a number with units', [['Retry-After', '10s']], 1],
    ['a date in year 9999', [['Retry-After', 'Fri, 31 Dec 9999 23:59:59 GMT']], 300],
    ['a date in 1970', [['Retry-After', 'Thu, 01 Jan 1970 00:00:00 GMT']], 1],
    [
      'two Retry-After lines',
      [
        ['Retry-After', '7'],
        ['Retry-After', '30'],
      ],
      30,
    ],
    [
      'a date measured from a skewed Date header',
      [
        ['Date', 'Wed, 01 Jan 2020 00:00:00 GMT'],
        ['Retry-After', 'Wed, 01 Jan 2020 00:00:20 GMT'],
      ],
      20,
    ],
  ];

  it.each(cases)('%s', async (_name, headers, seconds) => {
    server = await scriptedServer(
      raw503([['X-Circuit-Breaker-State', 'open'], ...headers]),
      answer(),
    );
    const opened: ScopeOpenEvent[] = [];
    const fetch = createFetch({
      clock: new ManualClock(Date.now()),
      onOpen: (e) => opened.push(e),
    });
    await (await fetch(`${server.url}/`)).arrayBuffer();
    expect(opened[0]?.retryAfterMs).toBe(seconds * 1000);
    const local = await fetch(`${server.url}/`);
    expect(local.headers.get('retry-after')).toBe(String(seconds));
    expect(server.hits()).toBe(1);
  });

  it('a 503 without our state header is not trusted unless honorUnmarked503 is set', async () => {
    server = await scriptedServer(raw503([['Retry-After', '60']]));
    const strict = createFetch({ clock: new ManualClock(Date.now()) });
    await (await strict(`${server.url}/`)).arrayBuffer();
    await (await strict(`${server.url}/`)).arrayBuffer();
    expect(server.hits()).toBe(2);

    const trusting = createFetch({ clock: new ManualClock(Date.now()), honorUnmarked503: true });
    await (await trusting(`${server.url}/`)).arrayBuffer();
    const local = await trusting(`${server.url}/`);
    expect(local.headers.get('x-breakwater-client')).toBe('short-circuit');
    expect(server.hits()).toBe(3);
  });
});
