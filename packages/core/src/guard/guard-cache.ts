// Wires the fallback response cache into a Guard: captures admitted responses, serves them on rejection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CacheOptions, CacheRequest } from '../cache/cache-options.js';
import { isPromiseLike } from '../cache/maybe-promise.js';
import type { StoredResponse } from '../cache/cache-store.js';
import { asBuffer, ResponseCache, servedHeadersOf } from '../cache/response-cache.js';
import type { Clock } from '../clock.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import type { Rejection } from '../permit.js';
import type { GuardConfig } from './guard-options.js';
import { wireState, type WireState } from '../state.js';
import type { GuardReply } from './guard.js';
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
 * The request as the cache sees it: the URL the client sent (`originalUrl`, which the adapter
 * knows: routers rewrite `req.url`) when it differs, else the raw request itself (no allocation).
 */
function cacheRequestOf(req: IncomingMessage, originalUrl: string | undefined): CacheRequest {
  if (originalUrl === undefined || originalUrl === req.url) return req;
  return { method: req.method, url: originalUrl, headers: req.headers };
}

/**
 * The response cache of a guard whose `cache` option is on: `capture` taps every admitted response
 * (storing what may be stored, invalidating after unsafe requests, and with `staleIfError`
 * replacing a 5xx whose head is not sent yet); `fallback` answers a rejection with the stored
 * response. Built once per guard (or shared), never per request.
 */
export class GuardCache {
  /** The reply last built for each stored entry served (see {@link GuardCache.replyFor}). */
  private readonly served = new WeakMap<
    StoredResponse,
    { seconds: number; state: WireState; reply: GuardReply }
  >();

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
    originalUrl: string | undefined,
    breaker: CircuitBreaker,
    rejection: Rejection,
  ): GuardReply | undefined | Promise<GuardReply | undefined> {
    return this.serve(cacheRequestOf(req, originalUrl), breaker, rejection);
  }

  /** {@link GuardCache.fallback} for a request as the cache reads it (the Web guard's way in). */
  serve(
    request: CacheRequest,
    breaker: CircuitBreaker,
    rejection: Rejection,
  ): GuardReply | undefined | Promise<GuardReply | undefined> {
    if (request.method === 'HEAD') {
      if (!this.cache.config.methods.has('HEAD')) return undefined;
      request = { method: 'GET', url: request.url, headers: request.headers };
    }
    const found = this.cache.findEntry(request, 'circuit-open', breaker);
    const state = wireState(rejection.state);
    // An asynchronous store hands out new records each time: nothing to keep a reply for.
    if (isPromiseLike(found))
      return found.then((entry) => entry && this.build(entry, this.ageSeconds(entry), state));
    return found && this.replyFor(found, state);
  }

  /**
   * The reply for a stored entry, built once per entry, `Age` second and state (the entry never
   * changes): an open breaker answers every request for a resource with the same object.
   */
  private replyFor(entry: StoredResponse, state: WireState): GuardReply {
    const seconds = this.ageSeconds(entry);
    const last = this.served.get(entry);
    if (last !== undefined && last.seconds === seconds && last.state === state) return last.reply;
    const reply = this.build(entry, seconds, state);
    this.served.set(entry, { seconds, state, reply });
    return reply;
  }

  private build(entry: StoredResponse, seconds: number, state: WireState): GuardReply {
    const headers = servedHeaders(servedHeadersOf(entry, seconds, 'circuit-open'), state);
    return Object.freeze({
      status: entry.status,
      headers: Object.freeze(headers),
      body: asBuffer(entry.body),
    });
  }

  private ageSeconds(entry: StoredResponse): number {
    return Math.floor(this.cache.ageOf(entry) / 1000);
  }

  /** Taps an admitted response: capture for `GET`, invalidation for unsafe methods, stale-if-error. */
  capture(
    req: IncomingMessage,
    res: ServerResponse,
    call: GuardedCall,
    originalUrl: string | undefined,
  ): void {
    const cache = this.cache;
    const method = req.method ?? 'GET';
    if (UNSAFE_METHODS.has(method)) {
      const request = cacheRequestOf(req, originalUrl);
      res.once('finish', () => {
        const done = cache.invalidate(request, res.statusCode, res.getHeaders(), call.breaker);
        if (done !== undefined) done.catch(() => {});
      });
      return;
    }
    const request = cacheRequestOf(req, originalUrl);
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

/**
 * The cache of a guard: {@link createGuardCache}, shared with an earlier guard of the same breaker
 * `name` and registry whose `cache` option is the same value (e.g. Fastify's automatic `HEAD` route
 * and its `GET` route), so that both serve and invalidate one set of entries.
 */
export function obtainGuardCache(
  config: GuardConfig<unknown>,
  name: string | undefined,
): GuardCache | undefined {
  const option = config.cache;
  if (option === undefined || option === false) return undefined;
  const registry = config.breaker.registry;
  const create = (): GuardCache | undefined => createGuardCache(option, config.breaker.clock);
  if (name === undefined || registry === undefined) return create();
  return registry.sharedBy(`cache:${name}`, option, create);
}
