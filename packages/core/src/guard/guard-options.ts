// The options every adapter takes (breaker options plus key, skip, onReject, maxBreakers, cache), parsed once.

import { BREAKER_OPTION_NAMES, parseBreakerOptions, type BreakerConfig } from '../configuration.js';
import { parseCacheOptions, type CacheOptions } from '../cache/cache-options.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Logger } from '../logger.js';
import type { BreakerOptions } from '../options.js';
import { integer, invalid, optionalFunction, readOptions, rejectUnknown } from '../validate.js';

/**
 * Options of an adapter's middleware: every {@link BreakerOptions} field, plus the request hooks.
 * `Req` is what the framework hands the hooks (Express `req`, Koa `ctx`, Fastify `request`);
 * `OnReject` is the framework's custom short-circuit handler.
 */
export interface GuardOptions<
  Req,
  OnReject = (...args: never[]) => unknown,
> extends BreakerOptions {
  /**
   * One breaker per returned key, named `<name>:<key>`. A key function that throws or returns
   * something other than a non-empty string is reported once and that request passes unguarded.
   * @defaultValue none (one breaker)
   */
  key?: (request: Req) => string;
  /** Keyed breakers kept at once; idle closed ones are evicted first. @defaultValue 1000 */
  maxBreakers?: number;
  /**
   * Requests for which this returns `true` are neither gated nor recorded. A skip function that
   * throws is reported once and the request is guarded (protection stays on). CORS preflights
   * (`OPTIONS` with `Access-Control-Request-Method`) are always skipped.
   * @defaultValue none
   */
  skip?: (request: Req) => boolean;
  /**
   * A custom short-circuit response, called instead of writing the built-in 503 (with `cache` on,
   * a stored response is served first, and `onReject` only runs when there is none). If it throws,
   * rejects, or has not started a response when it returns, the built-in 503 is sent.
   * @defaultValue the built-in 503 problem+json response
   */
  onReject?: OnReject;
  /**
   * The response cache (fallback while open): `true`, cache options, or a `ResponseCache` to share
   * between middlewares. Built once per middleware (per plugin registration on Fastify).
   * @defaultValue off
   */
  cache?: boolean | CacheOptions | ResponseCache;
  /**
   * When `X-Circuit-Breaker-State` is sent: on every guarded response (`'always'`), or only on those
   * written while the breaker is not closed (`'when-not-closed'`: the leanest path; clients read a
   * missing header as closed, and a response written while closed is left as the app wrote it,
   * its `Access-Control-Expose-Headers` included). Short-circuits always carry it.
   * @defaultValue `'always'`
   */
  stateHeader?: 'always' | 'when-not-closed';
}

/** The parsed form of {@link GuardOptions}: parsed once, shared by the guard, the registry and keyed families. */
export interface GuardConfig<Req> {
  /** The breaker configuration every breaker of the guard is built from. */
  readonly breaker: BreakerConfig;
  readonly key: ((request: Req) => string) | undefined;
  readonly maxBreakers: number;
  readonly skip: ((request: Req) => boolean) | undefined;
  readonly onReject: ((...args: never[]) => unknown) | undefined;
  /** The `cache` option as given (validated). */
  readonly cache: unknown;
  readonly logger: Logger;
  /** Whether closed responses carry `X-Circuit-Breaker-State` (`stateHeader: 'always'`). */
  readonly stampClosed: boolean;
}

/** The option names adapters accept on top of the breaker options. */
export const GUARD_OPTION_NAMES: ReadonlySet<string> = new Set([
  ...BREAKER_OPTION_NAMES,
  'key',
  'maxBreakers',
  'skip',
  'onReject',
  'cache',
  'stateHeader',
]);

/**
 * A plain copy of adapter options with each known option read by name, so inherited ones and
 * getters count (for adapters that merge option objects, e.g. plugin-level and per-route options:
 * a spread or `Object.entries` would drop them). Unknown names are left out: validate first.
 */
export function readGuardOptions<Req, OnReject>(
  options: GuardOptions<Req, OnReject>,
): GuardOptions<Req, OnReject> {
  return readOptions(options, GUARD_OPTION_NAMES);
}

/**
 * Validates adapter options once, at construction: unknown names and bad values throw a
 * `TypeError` naming the option. Options are read by name, so inherited ones
 * (`Object.create(defaults)`, a class instance's getters) count like own ones, and unknown
 * inherited names are rejected like own ones.
 */
export function parseGuardOptions<Req>(
  options: GuardOptions<Req, unknown> = {},
  where = 'circuitBreaker() options',
): GuardConfig<Req> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid('options', options, 'an object');
  }
  rejectUnknown(options, GUARD_OPTION_NAMES, where);
  // Each known option read once, by name: a getter is asked once (so `isFailure` stays one function).
  const read = readOptions(options, GUARD_OPTION_NAMES);
  const breaker = parseBreakerOptions(read);
  const cache: unknown = read.cache;
  const stateHeader: unknown = read.stateHeader;
  if (stateHeader !== undefined && stateHeader !== 'always' && stateHeader !== 'when-not-closed') {
    invalid('stateHeader', stateHeader, '"always" or "when-not-closed"');
  }
  if (cache !== undefined && cache !== false && cache !== true) {
    if (typeof cache !== 'object' || cache === null) {
      invalid('cache', cache, 'true, false, cache options or a ResponseCache');
    }
    // A ResponseCache is already valid; options are checked now (a TypeError naming cache.<option>).
    if (typeof (cache as { lookup?: unknown }).lookup !== 'function') {
      parseCacheOptions(cache as CacheOptions);
    }
  }
  const config: GuardConfig<Req> = Object.freeze({
    breaker,
    key: optionalFunction<(request: Req) => string>('key', read.key),
    maxBreakers: integer('maxBreakers', read.maxBreakers, 1000, 1),
    skip: optionalFunction<(request: Req) => boolean>('skip', read.skip),
    onReject: optionalFunction<(...args: never[]) => unknown>('onReject', read.onReject),
    cache,
    logger: breaker.logger,
    stampClosed: stateHeader !== 'when-not-closed',
  });
  parsedGuards.add(config);
  return config;
}

const parsedGuards = new WeakSet<object>();

/** Whether `value` is a configuration {@link parseGuardOptions} made (so already valid). */
export function isGuardConfig<Req>(value: unknown): value is GuardConfig<Req> {
  return typeof value === 'object' && value !== null && parsedGuards.has(value);
}
