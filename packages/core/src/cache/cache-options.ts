// The `cache` option: public CacheOptions, parsed once into a frozen, fully defaulted CacheConfig.

import { duration, integer, invalid, optionalFunction, rejectUnknown } from '../validate.js';
import type { CacheStore } from './cache-store.js';
import { MemoryCacheStore } from './memory-cache-store.js';

/** What a cache key function receives: the request as Node (and every adapter) exposes it. */
export interface CacheRequest {
  /** The method, upper-case (`GET`). */
  readonly method?: string | undefined;
  /** The request target as the adapter gives it: path and query (`/users/7?full=1`). */
  readonly url?: string | undefined;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** Options of the fallback response cache (`cache: true` takes every default). */
export interface CacheOptions {
  /** Resources (keys) kept by the default in-memory store. @defaultValue 1000 */
  maxEntries?: number;
  /** Bytes kept by the default in-memory store (bodies, headers, keys). @defaultValue 52428800 (50 MiB) */
  maxBytes?: number;
  /**
   * Milliseconds after it was stored during which a response may be served; a response's own
   * `Cache-Control: stale-if-error=N` shortens this for that response (it never lengthens it).
   * @defaultValue 300000
   */
  maxStale?: number;
  /**
   * Largest body stored, in bytes; a larger body passes through untouched and is not stored.
   * @defaultValue 1048576 (1 MiB), or `maxBytes` when that is smaller
   */
  maxBodyBytes?: number;
  /**
   * Methods served from the cache: `GET` (required) and optionally `HEAD`, which is answered from
   * the `GET` response's headers. Only `GET` responses are stored.
   * @defaultValue `['GET', 'HEAD']`
   */
  methods?: readonly string[];
  /**
   * Statuses stored. Allowed: 200–499 except 206 (partial content) and 304 (no body of its own).
   * @defaultValue `[200, 203, 204, 300, 301, 308, 404, 405, 410, 414]`: RFC 9110's
   * cacheable-by-default statuses without 206 and without 501, since a 5xx counts as a failure
   * and must never displace the last good response.
   */
  statuses?: readonly number[];
  /**
   * The cache key of a request, or `undefined` to neither store nor serve it. It must not depend
   * on the method: `GET` and `HEAD` share entries, and a successful `POST`/`PUT`/`PATCH`/`DELETE`
   * invalidates the key it computes for itself. The request headers named by a response's `Vary`
   * are always added to it.
   *
   * The default is the request's `Host` header (lower-cased, as the server received it) and the
   * request target as the adapter gives it (path and query): `"<host> <path?query>"`, so that a
   * process serving several virtual hosts or tenants never serves one host's page to another.
   * `Forwarded` and `X-Forwarded-*` are deliberately NOT part of it: they are client-controlled
   * unless a proxy rewrites them, and keying on them lets anyone fill the cache with junk
   * variants. If your responses reflect them (absolute URLs or redirects built from
   * `X-Forwarded-Host` or `X-Forwarded-Proto`), send `Vary: X-Forwarded-Host` (the Vary'd value
   * becomes part of the key) or add the header to the key, e.g.
   * `(req) => \`${req.headers['x-forwarded-host']} ${req.url}\``; otherwise a forged header can
   * poison what everybody gets while the breaker is open.
   * @defaultValue `defaultCacheKey`: `(req) => \`${host.toLowerCase()} ${req.url}\``
   */
  key?: (request: CacheRequest) => string | undefined;
  /**
   * Store responses to requests that carry `Authorization` or `Cookie`, and serve stored
   * responses to them. Only safe when those headers never change the response (or the response
   * says `Vary: Cookie` / `Vary: Authorization`). @defaultValue false
   */
  allowAuthorized?: boolean;
  /**
   * While the breaker is closed, let an adapter replace a 5xx from the handler with the stored
   * response (served with `Cache-Status: breakwater; hit; detail=stale-if-error`). The adapters do
   * it while the response head is still unsent and only with a store that answers synchronously
   * (the default in-memory one; not Redis). The 5xx still counts as a failure. @defaultValue false
   */
  staleIfError?: boolean;
  /** Where responses are kept. @defaultValue a {@link MemoryCacheStore} bounded by maxEntries and maxBytes */
  store?: CacheStore;
  /** Wall-clock milliseconds, injectable for tests. @defaultValue `Date.now` */
  now?: () => number;
}

/** The parsed form of {@link CacheOptions}. */
export interface CacheConfig {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly maxStale: number;
  readonly maxBodyBytes: number;
  /** Upper-case methods served. */
  readonly methods: ReadonlySet<string>;
  readonly statuses: ReadonlySet<number>;
  readonly key: ((request: CacheRequest) => string | undefined) | undefined;
  readonly allowAuthorized: boolean;
  readonly staleIfError: boolean;
  readonly store: CacheStore;
  readonly now: () => number;
}

/** The option names {@link parseCacheOptions} reads. */
export const CACHE_OPTION_NAMES: ReadonlySet<string> = new Set([
  'maxEntries',
  'maxBytes',
  'maxStale',
  'maxBodyBytes',
  'methods',
  'statuses',
  'key',
  'allowAuthorized',
  'staleIfError',
  'store',
  'now',
]);

/** The statuses stored by default. */
export const DEFAULT_CACHE_STATUSES: readonly number[] = Object.freeze([
  200, 203, 204, 300, 301, 308, 404, 405, 410, 414,
]);

function parseMethods(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set(['GET', 'HEAD']);
  const allowed = 'a non-empty array of "GET" and optionally "HEAD"';
  if (!Array.isArray(value) || value.length === 0) invalid('cache.methods', value, allowed);
  const methods = new Set<string>();
  for (const method of value as unknown[]) {
    const upper = typeof method === 'string' ? method.toUpperCase() : undefined;
    if (upper !== 'GET' && upper !== 'HEAD') invalid('cache.methods', value, allowed);
    methods.add(upper);
  }
  if (!methods.has('GET')) invalid('cache.methods', value, allowed);
  return methods;
}

function parseStatuses(value: unknown): ReadonlySet<number> {
  if (value === undefined) return new Set(DEFAULT_CACHE_STATUSES);
  const allowed = 'a non-empty array of integers from 200 to 499, except 206 and 304';
  if (!Array.isArray(value) || value.length === 0) invalid('cache.statuses', value, allowed);
  for (const status of value as unknown[]) {
    if (
      typeof status !== 'number' ||
      !Number.isInteger(status) ||
      status < 200 ||
      status > 499 ||
      status === 206 ||
      status === 304
    ) {
      invalid('cache.statuses', value, allowed);
    }
  }
  return new Set(value as number[]);
}

function parseBoolean(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalid(name, value, 'a boolean');
  return value;
}

function parseStore(value: unknown): CacheStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Partial<CacheStore> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.delete !== 'function'
  ) {
    invalid('cache.store', value, 'a CacheStore (an object with get(), set() and delete())');
  }
  return store as CacheStore;
}

/**
 * Validates the `cache` option once and applies every default. `false` and `undefined` mean no
 * cache (`undefined` is returned, so adapters do no per-request work); `true` takes every default.
 * Throws a `TypeError` naming the first bad option.
 */
export function parseCacheOptions(
  option: boolean | CacheOptions | undefined,
): CacheConfig | undefined {
  if (option === undefined || option === false) return undefined;
  const options: CacheOptions = option === true ? {} : option;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid('cache', option, 'true, false or an object of cache options');
  }
  rejectUnknown(options, CACHE_OPTION_NAMES, 'cache');
  const maxBytes = integer('cache.maxBytes', options.maxBytes, 50 * 1024 * 1024, 1024);
  const maxBodyBytes = integer(
    'cache.maxBodyBytes',
    options.maxBodyBytes,
    Math.min(1024 * 1024, maxBytes),
    0,
    maxBytes,
  );
  const store = parseStore(options.store);
  const maxEntries = integer('cache.maxEntries', options.maxEntries, 1000, 1, 10_000_000);
  return Object.freeze({
    maxEntries,
    maxBytes,
    maxStale: duration('cache.maxStale', options.maxStale) ?? 300_000,
    maxBodyBytes,
    methods: parseMethods(options.methods),
    statuses: parseStatuses(options.statuses),
    key: optionalFunction<CacheConfig['key']>('cache.key', options.key),
    allowAuthorized: parseBoolean('cache.allowAuthorized', options.allowAuthorized),
    staleIfError: parseBoolean('cache.staleIfError', options.staleIfError),
    store: store ?? new MemoryCacheStore({ maxEntries, maxBytes }),
    now: optionalFunction<() => number>('cache.now', options.now) ?? Date.now,
  });
}
