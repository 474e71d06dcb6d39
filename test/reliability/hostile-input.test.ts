// Hostile input against every adapter: key floods, monstrous upstream headers, odd hook values, late writes, broken streams.

import { BreakerRegistry, type Logger } from '@breakwater/core';
import { Agent, get as httpGet } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixtures, type GuardSpec, type RequestView } from '../conformance/fixtures/index.js';
import { send, start } from '../conformance/http-client.js';
import { checkRejection, emptyTally, fetchRaw, shoot } from './load.js';
import { MiB, sampleMemory } from './process-health.js';

/** Distinct keys per adapter: 20,000 each in CI (100,000 over the five), `HOSTILE_KEYS` to change. */
const KEYS = Math.max(2000, Number(process.env.HOSTILE_KEYS ?? 20_000));
const MAX_BREAKERS = 1000;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => void lines.push(m), error: (m) => void lines.push(m) };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(fixtures)('hostile input: $name', (fixture) => {
  it(`keeps at most maxBreakers keyed breakers and bounded memory over ${KEYS} distinct paths and header values`, async () => {
    const registry = new BreakerRegistry();
    const guard: GuardSpec = {
      registry,
      name: 'flood',
      failureThreshold: 1,
      maxBreakers: MAX_BREAKERS,
      key: (request: RequestView) =>
        request.path === '/fail' ? `tenant:${String(request.headers['x-tenant'])}` : request.path,
    };
    const app = await fixture.createApp({
      options: guard,
      routes: [
        { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) },
        // a parameter route where the framework has them (plain Koa answers 404, still guarded)
        { method: 'GET', path: '/p/:id', handler: () => ({ status: 200, body: 'ok' }) },
      ],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const before = sampleMemory();
    const tally = emptyTally();
    const odd: string[] = [];
    let next = 0;
    let maxSize = 0;
    const worker = async (): Promise<void> => {
      while (next < KEYS) {
        const i = next++;
        // odd requests: one tenant each on a failing route (its breaker opens); even ones: a fresh path
        const path = i % 2 === 1 ? '/fail' : `/p/${i}${'x'.repeat(i % 90)}`;
        const result = await new Promise<{ status: number; state: unknown }>((resolve) => {
          const req = httpGet(
            `${app.url}${path}`,
            { agent, headers: { 'x-tenant': `${i}-${'v'.repeat(i % 100)}` } },
            (res) => {
              res.resume();
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  state: res.headers['x-circuit-breaker-state'],
                }),
              );
              res.on('error', (error) => resolve({ status: 0, state: error.message }));
            },
          );
          req.on('error', (error) => resolve({ status: 0, state: error.message }));
        });
        if (![200, 404, 500, 503].includes(result.status) || typeof result.state !== 'string') {
          if (odd.length < 10) odd.push(`${path}: ${result.status} ${String(result.state)}`);
          tally.lost++;
        } else tally.ok++;
        if (i % 500 === 0) maxSize = Math.max(maxSize, registry.size);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    maxSize = Math.max(maxSize, registry.size);
    const after = sampleMemory();
    agent.destroy();
    await app.close();
    for (const breaker of registry.list()) breaker.close();

    expect(odd).toEqual([]);
    expect(tally.ok).toBe(KEYS);
    expect(maxSize).toBeLessThanOrEqual(MAX_BREAKERS);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(MiB(48));
  }, 120_000);

  it('survives enormous and malformed Vary, Cache-Control and Retry-After from the handler', async () => {
    const registry = new BreakerRegistry();
    const hostile: Record<string, Record<string, string>> = {
      vary: { vary: `${'x-a, '.repeat(2000)}*, ,,, \u00ff`, 'cache-control': 'max-age=60' },
      'vary-many': {
        vary: Array.from({ length: 3000 }, (_, i) => `x-h${i}`).join(','),
        'cache-control': 'public, max-age=60',
      },
      'cache-control': {
        'cache-control': `max-age=${'9'.repeat(5000)}, s-maxage="${'"'.repeat(100)}, no-cache="a,b`,
      },
      'cache-control-junk': { 'cache-control': '=,=,;;"\\' + ',private='.repeat(1000) },
      'retry-after': { 'retry-after': '99999999999999999999999999' },
      'retry-after-date': { 'retry-after': 'Tue, 99 Foo 20x1 25:61:61 GMT' },
      'retry-after-negative': { 'retry-after': '-5', 'x-circuit-breaker-state': 'bogus' },
    };
    const app = await fixture.createApp({
      options: {
        registry,
        name: 'hostile',
        failureThreshold: 2,
        openDuration: 60_000,
        cache: true,
      },
      routes: [
        {
          method: 'GET',
          path: '/h',
          handler: (request) => ({
            status: 200,
            headers: hostile[String(request.headers['x-kind'])] ?? {},
            body: 'x'.repeat(1000),
          }),
        },
        { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) },
      ],
    });
    const get = (kind: string) =>
      fetchRaw(`${app.url}/h`, { 'x-kind': kind, 'x-a': 'y'.repeat(4000) });
    for (const kind of Object.keys(hostile)) {
      const res = await get(kind);
      expect(res.status, kind).toBe(200);
      expect(res.body, kind).toBe('x'.repeat(1000));
    }
    await send(app.url, '/fail');
    await send(app.url, '/fail');
    expect(registry.get('hostile')?.state).toBe('open');
    const heapBefore = sampleMemory().heapUsed;
    const hits = new Set<string>();
    for (const kind of Object.keys(hostile)) {
      for (let i = 0; i < 20; i++) {
        const res = await get(kind);
        // a stored copy (with its own headers) or the clean 503: never a crash, never a mangled reply
        if (res.status === 503) expect(checkRejection(res), kind).toBeUndefined();
        else {
          expect([res.status, res.body.slice(0, 300)], kind).toEqual([200, 'x'.repeat(300)]);
          expect(res.headers['x-circuit-breaker-state'], kind).toBe('open');
          if (String(res.headers['cache-status']).includes('hit')) hits.add(kind);
        }
      }
    }
    expect(sampleMemory().heapUsed - heapBefore).toBeLessThan(MiB(32));
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
      options: { registry, name: 'streams', failureThreshold: 2, openDuration: 60_000 },
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
    expect(breaker.snapshot().totals).toMatchObject({ failure: 2, success: 0, ignored: 0 });
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
