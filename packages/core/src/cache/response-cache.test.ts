// Behaviour of the fallback response cache: what is stored, for whom it is served, and for how long.
import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CacheEvent } from '../events.js';
import type { CacheOptions, CacheRequest } from './cache-options.js';
import type { CacheRecord, CacheStore } from './cache-store.js';
import type { MemoryCacheStore } from './memory-cache-store.js';
import {
  MAX_VARIANTS,
  ResponseCache,
  defaultCacheKey,
  type CachedReply,
} from './response-cache.js';

type Headers = Record<string, string | string[] | number | undefined>;

function setup(options: CacheOptions = {}) {
  let time = 1_700_000_000_000;
  const cache = new ResponseCache({ now: () => time, ...options });
  const events: CacheEvent[] = [];
  cache.onCache((event) => void events.push(event));
  return {
    cache,
    events,
    advance: (ms: number) => void (time += ms),
  };
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): CacheRequest {
  return { method, url, headers };
}

/** Runs one response through admit + capture + body chunks, as an adapter would. */
function respond(
  cache: ResponseCache,
  request: CacheRequest,
  status: number,
  headers: Headers,
  ...chunks: (string | Uint8Array)[]
): boolean {
  const ticket = cache.admit(request);
  if (ticket === undefined) return false;
  const capture = cache.capture(ticket, status, headers);
  if (capture === undefined) return false;
  for (const chunk of chunks) capture.write(chunk);
  const stored = capture.end();
  if (typeof stored !== 'boolean') throw new Error('expected a synchronous store');
  return stored;
}

function hit(cache: ResponseCache, request: CacheRequest): CachedReply | undefined {
  const reply = cache.lookup(request);
  if (reply instanceof Promise) throw new Error('expected a synchronous lookup');
  return reply;
}

const json = { 'content-type': 'application/json' };

describe('ResponseCache: storing and serving', () => {
  it('serves a stored GET response with Age, Cache-Status and the exact body', () => {
    const { cache, advance } = setup();
    const body = JSON.stringify({ id: 7, name: 'Ada' });
    expect(respond(cache, get('/users/7'), 200, { ...json, etag: '"v1"' }, body)).toBe(true);
    advance(12_500);
    const reply = hit(cache, get('/users/7'))!;
    expect(reply.status).toBe(200);
    expect(reply.headers).toEqual({
      'content-type': 'application/json',
      etag: '"v1"',
      age: '12',
      'cache-status': 'breakwater; hit; detail=circuit-open',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(reply.body!.toString()).toBe(body);
  });

  it('answers a miss for another URL or query', () => {
    const { cache, events } = setup();
    respond(cache, get('/a?x=1'), 200, json, '{}');
    expect(hit(cache, get('/a?x=2'))).toBeUndefined();
    expect(hit(cache, get('/b'))).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ action: 'miss', detail: 'no-entry' });
  });

  it('gives each reply its own headers object', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, json, '{}');
    const first = hit(cache, get('/a'))!;
    first.headers['x-added'] = '1';
    expect(hit(cache, get('/a'))!.headers['x-added']).toBeUndefined();
  });

  it('answers HEAD from the GET entry with headers only and the original Content-Length', () => {
    const { cache } = setup();
    respond(
      cache,
      get('/page'),
      200,
      { 'content-type': 'text/html', 'content-length': 5 },
      'hello',
    );
    const reply = hit(cache, get('/page', {}, 'HEAD'))!;
    expect(reply.body).toBeUndefined();
    expect(reply.headers['content-length']).toBe('5');
  });

  it('gives HEAD the body length when the original was sent chunked', () => {
    const { cache } = setup();
    respond(cache, get('/page'), 200, { 'transfer-encoding': 'chunked' }, 'abc', 'def');
    const reply = hit(cache, get('/page', {}, 'HEAD'))!;
    expect(reply.headers['content-length']).toBe('6');
    expect(reply.headers['transfer-encoding']).toBeUndefined();
  });

  it('never stores a HEAD response (it has no body) and never serves HEAD when methods omit it', () => {
    const { cache } = setup({ methods: ['GET'] });
    expect(cache.admit(get('/x', {}, 'HEAD'))).toBeUndefined();
    respond(cache, get('/x'), 200, json, '{}');
    expect(hit(cache, get('/x', {}, 'HEAD'))).toBeUndefined();
    expect(hit(cache, get('/x'))).toBeDefined();
  });

  it('keeps JSON, text, binary and gzip bodies byte for byte, with their Content-Encoding', () => {
    const { cache } = setup();
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = 'ünïcödé text\n'.repeat(50);
    const gzipped = gzipSync(Buffer.from(JSON.stringify({ list: Array(200).fill('item') })));
    respond(cache, get('/json'), 200, json, '{"a":', '1}');
    respond(cache, get('/text'), 200, { 'content-type': 'text/plain; charset=utf-8' }, text);
    respond(cache, get('/bin'), 200, { 'content-type': 'application/octet-stream' }, binary);
    respond(
      cache,
      get('/gz', { 'accept-encoding': 'gzip' }),
      200,
      { ...json, 'content-encoding': 'gzip', vary: 'Accept-Encoding' },
      gzipped.subarray(0, 10),
      gzipped.subarray(10),
    );
    expect(hit(cache, get('/json'))!.body!.toString()).toBe('{"a":1}');
    expect(hit(cache, get('/text'))!.body!.toString('utf8')).toBe(text);
    expect(hit(cache, get('/bin'))!.body!.equals(binary)).toBe(true);
    const gz = hit(cache, get('/gz', { 'accept-encoding': 'gzip' }))!;
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body!.equals(gzipped)).toBe(true);
    expect(JSON.parse(gunzipSync(gz.body!).toString()).list).toHaveLength(200);
  });

  it('stores a 204 with an empty body and no Content-Length', () => {
    const { cache } = setup();
    expect(respond(cache, get('/empty'), 204, {})).toBe(true);
    const reply = hit(cache, get('/empty'))!;
    expect(reply.status).toBe(204);
    expect(reply.body!.length).toBe(0);
    expect(reply.headers['content-length']).toBeUndefined();
  });

  it('stores only end-to-end headers and replaces an earlier response', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, json, 'old');
    respond(
      cache,
      get('/a'),
      200,
      {
        ...json,
        connection: 'keep-alive, x-hop',
        'x-hop': 'secret-hop',
        'keep-alive': 'timeout=5',
        'x-circuit-breaker-state': 'closed',
        date: 'Mon, 01 Jan 2024 00:00:00 GMT',
        age: '100',
        'proxy-authenticate': 'Basic',
      },
      'new',
    );
    const reply = hit(cache, get('/a'))!;
    expect(reply.body!.toString()).toBe('new');
    expect(Object.keys(reply.headers).sort()).toEqual([
      'age',
      'cache-status',
      'content-length',
      'content-type',
    ]);
    expect(reply.headers.age).toBe('0');
  });

  it('appends its Cache-Status member to one the response already had', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, { 'cache-status': 'OriginCache; fwd=miss' }, 'x');
    expect(hit(cache, get('/a'))!.headers['cache-status']).toBe(
      'OriginCache; fwd=miss, breakwater; hit; detail=circuit-open',
    );
  });

  it('stores only the statuses configured, and a 5xx never displaces the last good response', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, json, 'good');
    expect(respond(cache, get('/a'), 500, json, 'bad')).toBe(false);
    expect(respond(cache, get('/a'), 503, json, 'bad')).toBe(false);
    expect(respond(cache, get('/a'), 302, { location: '/b' })).toBe(false);
    expect(hit(cache, get('/a'))!.body!.toString()).toBe('good');
    expect(respond(cache, get('/gone'), 404, json, '{"error":"not found"}')).toBe(true);
    const custom = setup({ statuses: [200] }).cache;
    expect(respond(custom, get('/gone'), 404, json, 'nf')).toBe(false);
  });
});

describe('ResponseCache: one user’s response never reaches another', () => {
  const alice = { authorization: 'Bearer alice-token' };
  const aliceCookie = { cookie: 'session=alice' };

  it.each([
    ['Authorization', alice],
    ['Cookie', aliceCookie],
  ])('does not store a response to a request with %s, nor serve one to it', (_, headers) => {
    const { cache, events } = setup();
    expect(respond(cache, get('/me', headers), 200, json, '{"user":"alice"}')).toBe(false);
    expect(events.at(-1)).toMatchObject({ action: 'skip' });
    expect(hit(cache, get('/me'))).toBeUndefined();
    respond(cache, get('/public'), 200, json, 'public');
    expect(hit(cache, get('/public', headers))).toBeUndefined();
  });

  it('keeps the tenants of a keyed breaker and the hosts of one URL apart', () => {
    const { cache } = setup();
    const tenant = (key: string) => ({ name: 'GET /me', key });
    const me = (host: string) => get('/me', { host });
    cache.store(cache.admit(me('a.example'), tenant('alice'))!, 200, json, 'alice');
    cache.store(cache.admit(me('b.example'), tenant('alice'))!, 200, json, 'b');
    const body = (host: string, key: string) =>
      (
        cache.lookup(me(host), 'circuit-open', tenant(key)) as CachedReply | undefined
      )?.body?.toString();
    // each lookup right after one for the same URL with another tenant or host
    expect([
      body('a.example', 'alice'),
      body('a.example', 'bob'),
      body('a.example', 'alice'),
      body('b.example', 'alice'),
      body('B.example', 'alice'),
    ]).toEqual(['alice', undefined, 'alice', 'b', 'b']);
  });

  it.each([
    ['Set-Cookie', { 'set-cookie': ['session=bob; HttpOnly'] }],
    ['Cache-Control: no-store', { 'cache-control': 'no-store' }],
    ['Cache-Control: private', { 'cache-control': 'private, max-age=60' }],
    ['Cache-Control: private="x-user"', { 'cache-control': 'private="x-user"' }],
    ['Vary: *', { vary: '*' }],
    ['malformed Cache-Control', { 'cache-control': 'max-age=5, x="open' }],
  ])('never stores a response with %s', (_, extra) => {
    const { cache } = setup();
    expect(respond(cache, get('/me'), 200, { ...json, ...extra }, '{"user":"bob"}')).toBe(false);
    expect(hit(cache, get('/me'))).toBeUndefined();
  });

  it('never stores when the request says Cache-Control: no-store', () => {
    const { cache } = setup();
    expect(cache.admit(get('/a', { 'cache-control': 'no-store' }))).toBeUndefined();
  });

  it('lets a later non-storable response remove the earlier stored one', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, json, 'public');
    respond(cache, get('/a'), 200, { 'cache-control': 'private' }, 'mine');
    expect(hit(cache, get('/a'))).toBeUndefined();
  });

  it('keeps Vary: Cookie responses apart per user when allowAuthorized is on', () => {
    const { cache } = setup({ allowAuthorized: true });
    respond(cache, get('/me', aliceCookie), 200, { ...json, vary: 'Cookie' }, 'alice');
    expect(hit(cache, get('/me', { cookie: 'session=bob' }))).toBeUndefined();
    expect(hit(cache, get('/me')))?.toBeUndefined();
    expect(hit(cache, get('/me', aliceCookie))!.body!.toString()).toBe('alice');
  });
});

describe('ResponseCache: Vary', () => {
  it('keys on the Vary’d request headers, normalised', () => {
    const { cache } = setup();
    const vary = { ...json, vary: 'Accept-Encoding, Accept-Language' };
    respond(
      cache,
      get('/v', { 'accept-encoding': 'gzip, br', 'accept-language': 'en' }),
      200,
      vary,
      'en-gz',
    );
    respond(
      cache,
      get('/v', { 'accept-encoding': 'identity', 'accept-language': 'en' }),
      200,
      vary,
      'en-id',
    );
    respond(
      cache,
      get('/v', { 'accept-encoding': 'gzip,br', 'accept-language': 'fr' }),
      200,
      vary,
      'fr-gz',
    );
    const body = (headers: Record<string, string>) =>
      hit(cache, get('/v', headers))?.body?.toString();
    expect(body({ 'accept-encoding': 'gzip,br', 'accept-language': 'en' })).toBe('en-gz');
    expect(body({ 'accept-encoding': ' gzip ,  br ', 'accept-language': 'en' })).toBe('en-gz');
    expect(body({ 'accept-encoding': 'identity', 'accept-language': 'en' })).toBe('en-id');
    expect(body({ 'accept-encoding': 'gzip, br', 'accept-language': 'fr' })).toBe('fr-gz');
    expect(body({ 'accept-encoding': 'gzip, br' })).toBeUndefined();
    expect(body({ 'accept-encoding': 'br, gzip', 'accept-language': 'en' })).toBeUndefined();
  });

  it('treats an absent Vary’d header as its own variant', () => {
    const { cache } = setup();
    respond(cache, get('/v'), 200, { vary: 'X-Tenant' }, 'none');
    expect(hit(cache, get('/v', { 'x-tenant': '' }))).toBeUndefined();
    expect(hit(cache, get('/v'))!.body!.toString()).toBe('none');
  });

  it(`keeps at most ${MAX_VARIANTS} variants per key, dropping the oldest`, () => {
    const { cache } = setup();
    for (let i = 0; i <= MAX_VARIANTS; i++) {
      respond(cache, get('/v', { 'x-n': String(i) }), 200, { vary: 'x-n' }, `n${i}`);
    }
    expect(hit(cache, get('/v', { 'x-n': '0' }))).toBeUndefined();
    expect(hit(cache, get('/v', { 'x-n': String(MAX_VARIANTS) }))!.body!.toString()).toBe(
      `n${MAX_VARIANTS}`,
    );
  });

  it('refuses huge Vary lists and huge Vary’d values without throwing', () => {
    const { cache, events } = setup();
    const names = Array.from({ length: 5000 }, (_, i) => `x-h${i}`).join(', ');
    expect(respond(cache, get('/v'), 200, { vary: names }, 'x')).toBe(false);
    expect(events.at(-1)).toMatchObject({ action: 'skip', detail: 'vary-too-large' });
    const big = 'y'.repeat(20_000);
    expect(respond(cache, get('/v', { 'x-big': big }), 200, { vary: 'X-Big' }, 'x')).toBe(false);
    expect(respond(cache, get('/v'), 200, { vary: '__proto__, constructor' }, 'x')).toBe(true);
    expect(hit(cache, get('/v'))!.body!.toString()).toBe('x');
  });
});

describe('ResponseCache: size limits', () => {
  it('does not store a body over maxBodyBytes, known up front or found while streaming', () => {
    const { cache, events } = setup({ maxBodyBytes: 1024 });
    expect(respond(cache, get('/a'), 200, { 'content-length': 2048 }, Buffer.alloc(2048))).toBe(
      false,
    );
    expect(events.at(-1)).toMatchObject({ detail: 'too-large' });
    expect(respond(cache, get('/b'), 200, {}, Buffer.alloc(600), Buffer.alloc(600))).toBe(false);
    expect(respond(cache, get('/c'), 200, {}, Buffer.alloc(1024))).toBe(true);
    expect(hit(cache, get('/b'))).toBeUndefined();
  });

  it('does not store a body that does not match its Content-Length', () => {
    const { cache } = setup();
    expect(respond(cache, get('/a'), 200, { 'content-length': 10 }, 'short')).toBe(false);
    expect(respond(cache, get('/a'), 200, { 'content-length': 'junk' }, 'short')).toBe(false);
  });

  it('bounds the default store by maxEntries and by maxBytes', () => {
    const byEntries = setup({ maxEntries: 3 }).cache;
    for (let i = 0; i < 10; i++) respond(byEntries, get(`/e${i}`), 200, {}, 'x');
    expect(hit(byEntries, get('/e0'))).toBeUndefined();
    expect(hit(byEntries, get('/e9'))).toBeDefined();
    expect((byEntries.config.store as MemoryCacheStore).size).toBe(3);

    const byBytes = setup({ maxBytes: 64 * 1024, maxBodyBytes: 16 * 1024 }).cache;
    for (let i = 0; i < 20; i++) respond(byBytes, get(`/b${i}`), 200, {}, Buffer.alloc(16 * 1024));
    const store = byBytes.config.store as MemoryCacheStore;
    expect(store.calculatedSize).toBeLessThanOrEqual(64 * 1024);
    expect(store.size).toBeLessThan(4);
    expect(hit(byBytes, get('/b19'))).toBeDefined();
  });
});

describe('ResponseCache: how long entries are served', () => {
  it('serves up to maxStale and not a millisecond after', () => {
    const { cache, advance, events } = setup({ maxStale: 60_000 });
    respond(cache, get('/a'), 200, {}, 'x');
    advance(60_000);
    expect(hit(cache, get('/a'))!.headers.age).toBe('60');
    advance(1);
    expect(hit(cache, get('/a'))).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ action: 'miss', detail: 'expired' });
  });

  it('takes a shorter stale-if-error as the entry’s limit, never a longer one', () => {
    const { cache, advance } = setup({ maxStale: 60_000 });
    respond(cache, get('/short'), 200, { 'cache-control': 'max-age=5, stale-if-error=10' }, 's');
    respond(cache, get('/long'), 200, { 'cache-control': 'stale-if-error=86400' }, 'l');
    advance(10_000);
    expect(hit(cache, get('/short'))).toBeDefined();
    expect(hit(cache, get('/long'))).toBeDefined();
    advance(1);
    expect(hit(cache, get('/short'))).toBeUndefined();
    advance(50_000);
    expect(hit(cache, get('/long'))).toBeUndefined();
  });

  it('does not store a response whose stale-if-error is 0', () => {
    const { cache } = setup();
    expect(respond(cache, get('/a'), 200, { 'cache-control': 'stale-if-error=0' }, 'x')).toBe(
      false,
    );
  });

  it.each([
    'must-revalidate',
    'proxy-revalidate',
    's-maxage=60',
    'no-cache',
    'public, max-age=60, must-revalidate',
  ])('never serves a response with Cache-Control: %s stale', (control) => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, { 'cache-control': control }, 'x');
    expect(hit(cache, get('/a'))).toBeUndefined();
  });

  it('treats Pragma: no-cache without Cache-Control as no-cache', () => {
    const { cache } = setup();
    expect(respond(cache, get('/a'), 200, { pragma: 'no-cache' }, 'x')).toBe(false);
    expect(
      respond(cache, get('/b'), 200, { pragma: 'no-cache', 'cache-control': 'max-age=5' }, 'x'),
    ).toBe(true);
  });

  it('serves an entry from a clock that ran ahead with Age 0', () => {
    let time = 1000;
    const cache = new ResponseCache({ now: () => time });
    respond(cache, get('/a'), 200, {}, 'x');
    time = 500;
    expect(hit(cache, get('/a'))!.headers.age).toBe('0');
  });
});

describe('ResponseCache: stale-if-error', () => {
  it('serves with detail=stale-if-error only when the option is on', () => {
    const off = setup().cache;
    respond(off, get('/a'), 200, {}, 'x');
    expect(off.lookup(get('/a'), 'stale-if-error')).toBeUndefined();
    const on = setup({ staleIfError: true }).cache;
    respond(on, get('/a'), 200, {}, 'x');
    const reply = on.lookup(get('/a'), 'stale-if-error') as CachedReply;
    expect(reply.headers['cache-status']).toBe('breakwater; hit; detail=stale-if-error');
  });
});

describe('ResponseCache: invalidation', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'a successful %s removes every variant of its URL',
    (method) => {
      const { cache, events } = setup();
      respond(cache, get('/items/1', { 'x-n': '1' }), 200, { vary: 'x-n' }, 'one');
      respond(cache, get('/items/1', { 'x-n': '2' }), 200, { vary: 'x-n' }, 'two');
      respond(cache, get('/items/2'), 200, {}, 'other');
      cache.invalidate(get('/items/1', {}, method), 204);
      expect(hit(cache, get('/items/1', { 'x-n': '1' }))).toBeUndefined();
      expect(hit(cache, get('/items/1', { 'x-n': '2' }))).toBeUndefined();
      expect(hit(cache, get('/items/2'))).toBeDefined();
      expect(events.some((e) => e.action === 'invalidate' && e.detail === method)).toBe(true);
    },
  );

  it('keeps entries after a failed unsafe request or a safe one', () => {
    const { cache } = setup();
    respond(cache, get('/items/1'), 200, {}, 'one');
    cache.invalidate(get('/items/1', {}, 'POST'), 500);
    cache.invalidate(get('/items/1', {}, 'DELETE'), 404);
    cache.invalidate(get('/items/1'), 200);
    cache.invalidate(get('/items/1', {}, 'OPTIONS'), 200);
    expect(hit(cache, get('/items/1'))).toBeDefined();
  });

  it('also removes the Location and Content-Location paths, not other origins', () => {
    const { cache } = setup();
    respond(cache, get('/items'), 200, {}, 'list');
    respond(cache, get('/items/9'), 200, {}, 'nine');
    respond(cache, get('/other'), 200, {}, 'other');
    cache.invalidate(get('/items', {}, 'POST'), 201, {
      location: '/items/9',
      'content-location': '//evil.example/other',
    });
    expect(hit(cache, get('/items'))).toBeUndefined();
    expect(hit(cache, get('/items/9'))).toBeUndefined();
    expect(hit(cache, get('/other'))).toBeDefined();
  });

  it('invalidates even for a request with credentials', () => {
    const { cache } = setup();
    respond(cache, get('/items/1'), 200, {}, 'one');
    cache.invalidate(get('/items/1', { authorization: 'Bearer x' }, 'PUT'), 200);
    expect(hit(cache, get('/items/1'))).toBeUndefined();
  });
});

describe('ResponseCache: keys', () => {
  it('puts the lower-cased Host, but not X-Forwarded-*, into the default key', () => {
    const { cache } = setup();
    respond(cache, get('/a', { host: 'One.Example', 'x-forwarded-host': 'x' }), 200, {}, 'one');
    expect(hit(cache, get('/a', { host: 'two.example' }))).toBeUndefined();
    expect(hit(cache, get('/a', { host: 'one.example', 'x-forwarded-host': 'y' }))).toBeDefined();
    expect(hit(cache, get('/a', { host: 'ONE.EXAMPLE' }))!.body!.toString()).toBe('one');
    expect(defaultCacheKey(get('/a?b=1', { host: 'One.Example:8080' }))).toBe(
      'one.example:8080 /a?b=1',
    );
  });

  it('keys a request without Host apart from every hosted one', () => {
    const { cache } = setup();
    respond(cache, get('/a'), 200, {}, 'bare');
    expect(hit(cache, get('/a', { host: 'one.example' }))).toBeUndefined();
    expect(hit(cache, get('/a'))!.body!.toString()).toBe('bare');
  });

  it('uses a custom key, and undefined from it means not cached', () => {
    const { cache } = setup({
      key: (req) => (req.url === '/skip' ? undefined : `${req.headers.host as string}${req.url}`),
    });
    respond(cache, get('/a', { host: 'one.example' }), 200, {}, 'one');
    expect(hit(cache, get('/a', { host: 'two.example' }))).toBeUndefined();
    expect(hit(cache, get('/a', { host: 'one.example' }))!.body!.toString()).toBe('one');
    expect(cache.admit(get('/skip'))).toBeUndefined();
  });

  it('treats a throwing key function and over-long keys as not cacheable', () => {
    const throwing = setup({
      key: () => {
        throw new Error('boom');
      },
    }).cache;
    expect(throwing.admit(get('/a'))).toBeUndefined();
    expect(throwing.lookup(get('/a'))).toBeUndefined();
    const { cache } = setup();
    expect(cache.admit(get(`/${'a'.repeat(10_000)}`))).toBeUndefined();
  });
});

describe('ResponseCache: stores', () => {
  function asyncStore(): CacheStore & { map: Map<string, CacheRecord> } {
    const map = new Map<string, CacheRecord>();
    return {
      map,
      get: async (key) => map.get(key),
      set: async (key, record) => void map.set(key, structuredClone(record)),
      delete: async (key) => void map.delete(key),
    };
  }

  it('works with an asynchronous store that clones records', async () => {
    const store = asyncStore();
    const { cache } = setup({ store });
    const ticket = cache.admit(get('/a'))!;
    await cache.store(ticket, 200, json, Buffer.from('{"ok":true}'));
    const reply = await cache.lookup(get('/a'));
    expect(reply!.body!.toString()).toBe('{"ok":true}');
    expect(Buffer.isBuffer(reply!.body)).toBe(true);
    await cache.invalidate(get('/a', {}, 'DELETE'), 200);
    expect(store.map.size).toBe(0);
  });

  it('turns store failures into misses and skipped stores, never throws', async () => {
    const failing: CacheStore = {
      get: () => {
        throw new Error('down');
      },
      set: () => Promise.reject(new Error('down')),
      delete: () => Promise.reject(new Error('down')),
    };
    const { cache, events } = setup({ store: failing });
    expect(cache.lookup(get('/a'))).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ action: 'miss', detail: 'store-error' });
    expect(cache.store(cache.admit(get('/a'))!, 200, {}, 'x')).toBe(false);
    const rejecting: CacheStore = { ...failing, get: () => Promise.resolve(undefined) };
    const second = setup({ store: rejecting });
    await expect(second.cache.store(second.cache.admit(get('/a'))!, 200, {}, 'x')).resolves.toBe(
      false,
    );
    await expect(second.cache.invalidate(get('/a', {}, 'POST'), 200)).resolves.toBeUndefined();
  });
});

describe('ResponseCache: events', () => {
  it('names the breaker and says what happened', () => {
    const { cache, events } = setup();
    const source = { name: 'GET /a', key: 'tenant-1' };
    const ticket = cache.admit(get('/a'), source)!;
    cache.store(ticket, 200, {}, 'x');
    cache.lookup(get('/a'), 'circuit-open', source);
    expect(events).toEqual([
      { breaker: 'GET /a', key: 'tenant-1', action: 'store', detail: 'stored' },
      { breaker: 'GET /a', key: 'tenant-1', action: 'hit', detail: 'circuit-open' },
    ]);
  });

  it('builds no event when nobody listens', () => {
    const cache = new ResponseCache(true);
    respond(cache, get('/a'), 200, {}, 'x');
    expect(hit(cache, get('/a'))).toBeDefined();
  });
});
