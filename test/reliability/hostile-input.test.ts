// Hostile input against every adapter: key floods, monstrous upstream headers, odd hook values, late writes, broken streams.

import { BreakerRegistry, type Logger } from '@breakwater/core';
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { http1Fixtures as fixtures, type RequestView } from '../conformance/fixtures/index.js';
import { send, start } from '../conformance/http-client.js';
import { getHostile, HOSTILE_BODY, HOSTILE_HEADERS, hostileHeadersApp } from './hostile-headers.js';
import { floodKeys } from './key-flood.js';
import { checkRejection, shoot } from './load.js';

/** A small registry and four times as many distinct keys (the soak sends HOSTILE_KEYS to 1000). */
const MAX_BREAKERS = 200;
const KEYS = 4 * MAX_BREAKERS;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => void lines.push(m), error: (m) => void lines.push(m) };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(fixtures)('hostile input: $name', (fixture) => {
  it(`keeps at most maxBreakers keyed breakers over ${KEYS} distinct paths and header values`, async () => {
    const flood = await floodKeys(fixture, { keys: KEYS, maxBreakers: MAX_BREAKERS });
    expect(flood.odd).toEqual([]);
    expect(flood.served).toBe(KEYS);
    expect(flood.maxSize).toBeLessThanOrEqual(MAX_BREAKERS);
  });

  it('survives enormous and malformed Vary, Cache-Control and Retry-After from the handler', async () => {
    const registry = new BreakerRegistry();
    const app = await hostileHeadersApp(fixture, registry);
    for (const kind of Object.keys(HOSTILE_HEADERS)) {
      const res = await getHostile(app, kind);
      expect(res.status, kind).toBe(200);
      expect(res.body, kind).toBe(HOSTILE_BODY);
    }
    await send(app.url, '/fail');
    await send(app.url, '/fail');
    expect(registry.get('hostile')?.state).toBe('open');
    const hits = new Set<string>();
    for (const kind of Object.keys(HOSTILE_HEADERS)) {
      for (let i = 0; i < 20; i++) {
        const res = await getHostile(app, kind);
        // a stored copy (with its own headers) or the clean 503: never a crash, never a mangled reply
        if (res.status === 503) expect(checkRejection(res), kind).toBeUndefined();
        else {
          expect([res.status, res.body.slice(0, 300)], kind).toEqual([200, 'x'.repeat(300)]);
          expect(res.headers['x-circuit-breaker-state'], kind).toBe('open');
          if (String(res.headers['cache-status']).includes('hit')) hits.add(kind);
        }
      }
    }
    // the cache did serve the well-formed ones (so the hostile ones went through a live cache)
    expect(hits.has('retry-after')).toBe(true);
    await app.close();
    registry.get('hostile')?.close();
  });

  it('lets requests through unguarded when key or skip return non-strings, non-booleans or throw', async () => {
    const registry = new BreakerRegistry();
    const logger = recordingLogger();
    const oddKeys: Record<string, () => unknown> = {
      number: () => 42,
      object: () => ({ toString: () => 'sneaky' }),
      undefined: () => undefined,
      empty: () => '',
      symbol: () => Symbol('k'),
      throws: () => {
        throw new Error('key exploded');
      },
    };
    const oddSkips: Record<string, () => unknown> = {
      string: () => 'yes',
      one: () => 1,
      null: () => null,
      throws: () => {
        throw new Error('skip exploded');
      },
    };
    const app = await fixture.createApp({
      options: {
        registry,
        logger,
        name: 'hooks',
        failureThreshold: 1,
        key: ((request: RequestView) =>
          oddKeys[String(request.headers['x-key'])]?.() ?? 'fixed') as (r: RequestView) => string,
        skip: ((request: RequestView) =>
          oddSkips[String(request.headers['x-skip'])]?.() ?? false) as (r: RequestView) => boolean,
      },
      routes: [{ method: 'GET', path: '/r', handler: () => ({ status: 200, body: 'fine' }) }],
    });
    for (const kind of Object.keys(oddKeys)) {
      const res = await send(app.url, '/r', { headers: { 'x-key': kind } });
      expect(res.status, kind).toBe(200);
      expect(res.body, kind).toBe('fine');
    }
    for (const kind of Object.keys(oddSkips)) {
      const res = await send(app.url, '/r', { headers: { 'x-skip': kind } });
      expect(res.status, kind).toBe(200);
      // a skip that does not say `true` keeps the request guarded
      expect(res.headers['x-circuit-breaker-state'], kind).toBe('closed');
    }
    expect(registry.list().map((b) => b.key)).toEqual(['fixed']);
    for (const code of ['KEY_INVALID', 'KEY_THREW', 'SKIP_INVALID', 'SKIP_THREW'])
      expect(logger.lines.filter((l) => l.includes(`ERR_BREAKWATER_${code}`))).toHaveLength(1);
    await app.close();
    for (const breaker of registry.list()) breaker.close();
  });

  it('sends one response when onReject answers late or throws after answering', async () => {
    const registry = new BreakerRegistry();
    const lateErrors: unknown[] = [];
    const app = await fixture.createApp({
      options: {
        registry,
        name: 'late',
        failureThreshold: 1,
        openDuration: 60_000,
        onReject: async (request, _rejection, sendReply) => {
          if (request.headers['x-on-reject'] === 'throw-after-send') {
            sendReply(429, 'custom');
            throw new Error('after sending');
          }
          // returns without answering, then answers once the built-in 503 went out
          setTimeout(() => {
            try {
              sendReply(418, 'too late');
            } catch (error) {
              lateErrors.push(error);
            }
          }, 20);
        },
      },
      routes: [{ method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) }],
    });
    await send(app.url, '/fail');
    expect(registry.get('late')?.state).toBe('open');
    // Express and Fastify have sent the 429 when onReject throws; Koa had only set it, so the 503 goes out
    const custom = await send(app.url, '/fail', { headers: { 'x-on-reject': 'throw-after-send' } });
    if (custom.status === 503) expect(checkRejection(custom)).toBeUndefined();
    else expect([custom.status, custom.body]).toEqual([429, 'custom']);
    const late = await send(app.url, '/fail', { headers: { 'x-on-reject': 'late' } });
    expect(late.status).toBe(503);
    expect(checkRejection(late)).toBeUndefined();
    await wait(60);
    // the server is still healthy and answers on
    const again = await send(app.url, '/fail', { headers: { 'x-on-reject': 'throw-after-send' } });
    expect(again.status).toBe(custom.status);
    await app.close();
    registry.get('late')?.close();
  });

  it('counts a handler that answers after its timeout once, as a timeout', async () => {
    const registry = new BreakerRegistry();
    const app = await fixture.createApp({
      options: { registry, name: 'slowpoke', timeout: 30, failureThreshold: 5 },
      routes: [
        {
          method: 'GET',
          path: '/slow',
          handler: () => new Promise((resolve) => setTimeout(() => resolve({ body: 'late' }), 80)),
        },
      ],
    });
    const res = await send(app.url, '/slow');
    expect(res.status).toBe(200);
    expect(res.body).toBe('late');
    const breaker = registry.get('slowpoke')!;
    expect(breaker.snapshot().totals).toMatchObject({ timeout: 1, success: 0, failure: 0 });
    expect(breaker.inFlight).toBe(0);
    await app.close();
    breaker.close();
  });

  it('records a streamed response that errors mid-body as a failure, and the client sees it cut short', async () => {
    const registry = new BreakerRegistry();
    const app = await fixture.createApp({
      // A cut-off after a good head is one more failure beside the head's success, so a rate
      // (not a run of consecutive failures) is what catches streams that keep breaking.
      options: {
        registry,
        name: 'streams',
        failureRateThreshold: 50,
        minimumCalls: 4,
        openDuration: 60_000,
      },
      routes: [
        {
          method: 'GET',
          path: '/s',
          handler: () => {
            const stream = new Readable({ read() {} });
            stream.push('partial');
            setTimeout(() => stream.destroy(new Error('upstream died')), 10);
            return { status: 200, stream };
          },
        },
      ],
    });
    const agent = new Agent({ keepAlive: true });
    for (let i = 0; i < 2; i++) {
      const shot = await shoot({ base: app.url, path: '/s', mode: 'abort', agent, hangMs: 3000 });
      expect(shot.outcome).toBe('server-abort');
    }
    await wait(20);
    const breaker = registry.get('streams')!;
    // each head was judged a success, then the cut-off after it recorded one more failure
    expect(breaker.snapshot().totals).toMatchObject({ failure: 2, success: 2, ignored: 0 });
    expect(breaker.state).toBe('open');
    expect(breaker.inFlight).toBe(0);
    agent.destroy();
    await app.close();
    breaker.close();
  });

  it('still ignores a client that walks away mid-body', async () => {
    const registry = new BreakerRegistry();
    const app = await fixture.createApp({
      options: { registry, name: 'walkaway', failureThreshold: 1 },
      routes: [
        {
          method: 'GET',
          path: '/s',
          handler: () => {
            const stream = new Readable({ read() {} });
            stream.push('partial');
            const timer = setTimeout(() => stream.push(null), 200);
            stream.once('close', () => clearTimeout(timer));
            return { status: 200, stream };
          },
        },
      ],
    });
    const streaming = start(app.url, '/s');
    streaming.abortOnFirstBytes();
    await streaming.response.catch(() => undefined);
    await wait(250);
    const breaker = registry.get('walkaway')!;
    // judged at its head (a success); the client leaving after it changes nothing
    expect(breaker.snapshot().totals).toMatchObject({ failure: 0, success: 1, ignored: 0 });
    expect(breaker.state).toBe('closed');
    await app.close();
    breaker.close();
  });
});
