// Wires the fallback response cache into a Guard: captures admitted responses, serves them on rejection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CacheOptions, CacheRequest } from '../cache/cache-options.js';
import { isPromiseLike } from '../cache/maybe-promise.js';
import { ResponseCache, type CachedReply } from '../cache/response-cache.js';
import type { Clock } from '../clock.js';
import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import type { GuardConfig } from './guard-options.js';
import { wireState } from '../state.js';
import type { GuardReply, GuardRejection, GuardResponseHooks } from './guard.js';
import type { GuardedCall } from './guarded-call.js';
import { ResponseTap } from './response-tap.js';
import { servedHeaders } from './served-headers.js';

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether `value` is a ready-made cache (duck-typed, so two copies of core still agree). */
function isResponseCache(value: unknown): value is ResponseCache {
  const cache = value as Partial<ResponseCache> | null;
  return (
    typeof cache === 'object' &&
    cache !== null &&
    typeof cache.admit === 'function' &&
    typeof cache.lookup === 'function' &&
    typeof cache.capture === 'function' &&
    typeof cache.invalidate === 'function'
  );
}

/**
 * The request as the cache sees it: Express's `originalUrl` (its routers rewrite `req.url`) when
 * there is one, else `req.url`. The raw request itself when nothing differs (no allocation).
 */
export function cacheRequestOf(req: IncomingMessage): CacheRequest {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  if (typeof original !== 'string' || original === req.url) return req;
  return { method: req.method, url: original, headers: req.headers };
}

/**
 * The {@link GuardResponseHooks} of a guard whose `cache` option is on: `capture` taps every
 * admitted response (storing what may be stored, invalidating after unsafe requests, and with
 * `staleIfError` replacing a 5xx whose head is not sent yet); `fallback` answers a rejection with
 * the stored response. Built once per guard (or shared), never per request.
 */
export class GuardCache implements GuardResponseHooks {
  constructor(
    /** The cache behind the hooks. */
    readonly cache: ResponseCache,
  ) {}

  /**
   * Offers a stored response instead of the 503. A `HEAD` (when `methods` allows it) is offered
   * the `GET` reply, body included, for the framework to drop: some (Fastify's automatic `HEAD`
   * routes) compute `Content-Length` from the body they are given.
   */
  fallback(
    req: IncomingMessage,
    rejected: GuardRejection,
  ): GuardReply | undefined | Promise<GuardReply | undefined> {
    let request = cacheRequestOf(req);
    if (request.method === 'HEAD') {
      if (!this.cache.config.methods.has('HEAD')) return undefined;
      request = { method: 'GET', url: request.url, headers: request.headers };
    }
    const found = this.cache.lookup(request, 'circuit-open', rejected.breaker);
    const state = wireState(rejected.rejection.state);
    const toReply = (reply: CachedReply | undefined): GuardReply | undefined =>
      reply === undefined
        ? undefined
        : { status: reply.status, headers: servedHeaders(reply, state), body: reply.body ?? '' };
    return isPromiseLike(found) ? found.then(toReply) : toReply(found);
  }

  /** Taps an admitted response: capture for `GET`, invalidation for unsafe methods, stale-if-error. */
  capture(req: IncomingMessage, res: ServerResponse, call: GuardedCall): void {
    const cache = this.cache;
    const method = req.method ?? 'GET';
    if (UNSAFE_METHODS.has(method)) {
      const request = cacheRequestOf(req);
      res.once('finish', () => {
        const done = cache.invalidate(request, res.statusCode, res.getHeaders(), call.breaker);
        if (done !== undefined) done.catch(() => {});
      });
      return;
    }
    const request = cacheRequestOf(req);
    const ticket = method === 'GET' ? cache.admit(request, call.breaker) : undefined;
    const stale = cache.config.staleIfError && cache.config.methods.has(method);
    if (ticket === undefined && !stale) return;
    new ResponseTap(cache, res, call, request, ticket, stale).install();
  }
}

/**
 * Builds the cache hooks for a `cache` option: `undefined` when off, the given cache when it is
 * already a {@link ResponseCache}, else a new one whose clock (unless `now` is given) follows the
 * breaker's `clock` when there is one, so that a `ManualClock` also ages cached responses.
 */
export function createGuardCache(option: unknown, clock?: Clock): GuardCache | undefined {
  if (option === undefined || option === false) return undefined;
  if (isResponseCache(option)) return new GuardCache(option);
  const options: CacheOptions = option === true ? {} : (option as CacheOptions);
  if (clock !== undefined && options.now === undefined) {
    const epoch = Date.now() - clock.now();
    return new GuardCache(new ResponseCache({ ...options, now: () => epoch + clock.now() }));
  }
  return new GuardCache(new ResponseCache(options));
}

/** Caches of named guards, per registry: guards sharing a breaker name (and `cache` option) share one. */
const namedCaches = new WeakMap<
  BreakerRegistry,
  Map<string, { option: unknown; hooks: GuardCache | undefined }>
>();

/**
 * The cache hooks of a guard: {@link createGuardCache}, shared with an earlier guard of the same
 * breaker `name` and registry whose `cache` option is the same value (e.g. Fastify's automatic
 * `HEAD` route and its `GET` route), so that both serve and invalidate one set of entries.
 */
export function obtainGuardCache(
  config: GuardConfig<unknown>,
  name: string | undefined,
): GuardCache | undefined {
  const option = config.cache;
  if (option === undefined || option === false) return undefined;
  const registryOption = config.breaker.registry;
  const registry = registryOption === false ? undefined : (registryOption ?? defaultRegistry);
  if (name === undefined || registry === undefined) {
    return createGuardCache(option, config.breaker.clock);
  }
  let byName = namedCaches.get(registry);
  if (byName === undefined) namedCaches.set(registry, (byName = new Map()));
  const known = byName.get(name);
  if (known !== undefined && known.option === option) return known.hooks;
  const hooks = createGuardCache(option, config.breaker.clock);
  byName.set(name, { option, hooks });
  return hooks;
}
