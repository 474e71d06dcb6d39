// Cache poisoning: odd Host, X-Forwarded-*, Accept-Encoding or tenant headers never get one client's stored response to another.

import { BreakerRegistry } from '@breakwater/core';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  http1Fixtures as fixtures,
  type GuardSpec,
  type Handler,
  type RequestView,
  type RunningApp,
} from '../conformance/fixtures/index.js';
import { checkRejection, fetchRaw, type Raw } from './load.js';

/** What the reflecting handler saw of a request. */
interface Seen {
  host: string | null;
  xfh: string | null;
  xfp: string | null;
  tenant: string | null;
}

const header = (request: RequestView, name: string): string | null => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
};

/** Reflects the request's Host and X-Forwarded-Host/Proto, and says so in `Vary`, as the cache's docs ask. */
const reflecting: Handler = (request) => ({
  status: 200,
  headers: { 'cache-control': 'max-age=60', vary: 'X-Forwarded-Host, X-Forwarded-Proto' },
  body: JSON.stringify({
    host: header(request, 'host'),
    xfh: header(request, 'x-forwarded-host'),
    xfp: header(request, 'x-forwarded-proto'),
    tenant: header(request, 'x-tenant'),
  } satisfies Seen),
});

const PLAIN = 'plain text, not compressed '.repeat(20);

/** Gzips for clients that accept it; `vary` says whether it admits that in `Vary` (compression middleware does). */
function negotiating(vary: boolean): Handler {
  return (request) => {
    const gzip = /\bgzip\b/i.test(header(request, 'accept-encoding') ?? '');
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (vary) headers.vary = 'Accept-Encoding';
    if (!gzip) return { status: 200, headers, body: PLAIN };
    return {
      status: 200,
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(PLAIN)),
    };
  };
}

/** A response is acceptable to a victim when it is its own (by `check`) or a clean 503. */
function expectOwnOrBare503(res: Raw, check: (res: Raw) => void): void {
  if (res.status === 503) {
    expect(checkRejection(res)).toBeUndefined();
    expect(res.headers['cache-status']).toBeUndefined();
    return;
  }
  expect(res.status).toBe(200);
  check(res);
}

describe.each(fixtures)('cache poisoning: $name', (fixture) => {
  let app: RunningApp | undefined;
  let registry: BreakerRegistry;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const breaker of registry.list()) breaker.close();
  });

  async function serve(routes: Record<string, Handler>, extra: GuardSpec = {}): Promise<string> {
    registry = new BreakerRegistry();
    app = await fixture.createApp({
      options: {
        registry,
        name: 'poison',
        failureThreshold: 2,
        openDuration: 60_000,
        cache: true,
        ...extra,
      },
      routes: [
        ...Object.entries(routes).map(([path, handler]) => ({
          method: 'GET' as const,
          path,
          handler,
        })),
        { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) },
      ],
    });
    return app.url;
  }

  async function trip(url: string, headers: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < 2; i++) await fetchRaw(`${url}/fail`, headers);
  }

  it('never serves a response made for an odd Host or forged X-Forwarded-* to another client while open', async () => {
    const url = await serve({ '/page': reflecting });
    const host = new URL(url).host;
    const victim = { host };
    await fetchRaw(`${url}/page`, victim);
    // attackers come after the victim, each trying to overwrite what the victim will be served
    const attacks: Record<string, string>[] = [
      { host, 'x-forwarded-host': 'evil.example' },
      { host, 'x-forwarded-proto': 'javascript' },
      { host, 'x-forwarded-host': `${host}, evil.example`, 'x-forwarded-proto': 'http' },
      { host, 'x-forwarded-for': `1.2.3.4, ${'9'.repeat(4000)}`, forwarded: 'for=evil;host=evil' },
      { host: host.toUpperCase() + '.', 'x-forwarded-host': 'evil.example' },
      { host: `evil.example` },
      { host: `${host} /page` },
      { host: `${host}@evil.example` },
      { host: '' },
    ];
    for (const attack of attacks) await fetchRaw(`${url}/page`, attack).catch(() => undefined);
    await trip(url);
    expect(registry.get('poison')?.state).toBe('open');

    const own = (res: Raw): void => {
      expect(JSON.parse(res.body)).toEqual({ host, xfh: null, xfp: null, tenant: null });
    };
    expectOwnOrBare503(await fetchRaw(`${url}/page`, victim), own);
    // a third client, with its own (harmless) forwarding and encoding headers
    expectOwnOrBare503(
      await fetchRaw(`${url}/page`, {
        host,
        'x-forwarded-for': '10.0.0.7',
        'accept-encoding': 'br',
      }),
      own,
    );
    // and every attacker gets at most what it asked for itself
    for (const attack of attacks.slice(0, 3)) {
      expectOwnOrBare503(await fetchRaw(`${url}/page`, attack), (res) => {
        const seen = JSON.parse(res.body) as Seen;
        expect(seen.xfh).toBe(attack['x-forwarded-host'] ?? null);
        expect(seen.xfp).toBe(attack['x-forwarded-proto'] ?? null);
      });
    }
  });

  it('never serves a gzip body to a client that did not ask for gzip, with or without Vary', async () => {
    const url = await serve({ '/gz': negotiating(true), '/gz-novary': negotiating(false) });
    for (const path of ['/gz', '/gz-novary']) {
      await fetchRaw(`${url}${path}`, { 'accept-encoding': 'identity' });
      // gzip-accepting clients come last, with odd spellings
      for (const ae of ['gzip', 'GZIP, deflate', 'gzip;q=1.0, *;q=0', `gzip, ${'x'.repeat(3000)}`])
        await fetchRaw(`${url}${path}`, { 'accept-encoding': ae });
    }
    await trip(url);
    for (const path of ['/gz', '/gz-novary']) {
      for (const ae of ['identity', 'br', 'deflate']) {
        const res = await fetchRaw(`${url}${path}`, { 'accept-encoding': ae });
        expectOwnOrBare503(res, (r) => {
          expect(r.headers['content-encoding'], `${path} ${ae}`).toBeUndefined();
          expect(r.body, `${path} ${ae}`).toBe(PLAIN);
        });
      }
      // a gzip-accepting client may get either variant
      expectOwnOrBare503(await fetchRaw(`${url}${path}`, { 'accept-encoding': 'gzip' }), () => {});
    }
  });

  it("never serves one tenant's response to another tenant whose keyed breaker is open", async () => {
    const url = await serve(
      { '/page': reflecting },
      { key: (request: RequestView) => header(request, 'x-tenant') ?? 'anonymous' },
    );
    const host = new URL(url).host;
    await fetchRaw(`${url}/page`, { host, 'x-tenant': 'alice' });
    await trip(url, { 'x-tenant': 'bob' });
    expect(registry.get('poison:bob')?.state).toBe('open');
    expectOwnOrBare503(await fetchRaw(`${url}/page`, { host, 'x-tenant': 'bob' }), (res) => {
      expect((JSON.parse(res.body) as Seen).tenant).toBe('bob');
    });
  });
});
