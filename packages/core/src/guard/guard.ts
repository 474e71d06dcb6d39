// The framework-free half of every adapter: one call per request decides pass, admit or answer.

import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { isPromiseLike } from '../cache/maybe-promise.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import { rejectionResponse } from '../http/problem.js';
import { ORIGIN_SCOPE, SCOPE_HEADER, formatScope, type BreakerScope } from '../http/scope.js';
import type { Rejection } from '../permit.js';
import { wireState } from '../state.js';
import { BreakerResolver } from './breaker-resolver.js';
import { obtainGuardCache, type GuardCache } from './guard-cache.js';
import {
  isGuardConfig,
  parseGuardOptions,
  type GuardConfig,
  type GuardOptions,
} from './guard-options.js';
import { GuardedCall, TimedGuardedCall } from './guarded-call.js';
import { markShortCircuit } from './short-circuit.js';

/**
 * A response ready to write: what a short-circuit sends. Often shared between requests (the 503 of
 * a rejection, a cached reply within one `Age` second) and frozen: a binding reads it, never changes it.
 */
export interface GuardReply {
  readonly status: number;
  /** Header values; a list for a header sent several times (a cached response may have those). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | Uint8Array;
}

/**
 * How one framework is bound to core, given once when a middleware is built. `Req` and `Res` are
 * the two objects the framework hands a middleware (Express `req`/`res`, Koa `ctx`/`undefined`,
 * Fastify `request`/`reply`). Core calls these only to answer a short-circuit, and `rawRequest`,
 * `rawResponse` and `routeName` on an admitted request.
 */
export interface FrameworkBinding<Req, Res> {
  /** The raw Node request (`IncomingMessage` or HTTP/2 `Http2ServerRequest`). */
  rawRequest(req: Req, res: Res): IncomingMessage;
  /** The raw Node response (`ServerResponse` or HTTP/2 `Http2ServerResponse`). */
  rawResponse(req: Req, res: Res): ServerResponse;
  /** The breaker name of the route when the framework knows it per request (`GET /users/:id`). */
  routeName?(req: Req, res: Res): string | undefined;
  /**
   * What a breaker guarding this request covers, for `X-Circuit-Breaker-Scope`: a route's method
   * and template, a mount prefix, or (when `undefined`) the whole origin. Asked once per route.
   */
  scope?(req: Req, res: Res): BreakerScope | undefined;
  /** The URL as the client sent it, before routers rewrote it (the cache keys on it). */
  originalUrl?(req: Req, res: Res): string | undefined;
  /** A response header set so far, the framework's own header map included. */
  getHeader(req: Req, res: Res, name: string): OutgoingHttpHeader | undefined;
  /** Writes a short-circuit reply the framework's way. */
  send(req: Req, res: Res, reply: GuardReply): void;
  /** Calls the user's `onReject` with the framework's arguments. */
  callOnReject(
    onReject: (...args: never[]) => unknown,
    req: Req,
    res: Res,
    rejection: Rejection,
  ): unknown;
  /** Whether `onReject` started a response (so that the built-in 503 is not written). */
  responded(req: Req, res: Res): boolean;
  /**
   * Hooks an admitted call's response head the adapter's own way (Express: a hook on the app's
   * response prototype); returns `false` to let core hook it.
   */
  attach?(call: GuardedCall, req: Req, res: Res): boolean;
}

/** {@link RequestGuard.enter}: let the request through unguarded (skipped, a preflight, no key). */
export const PASS = 0;
/** {@link RequestGuard.enter}: the request was answered (short-circuited); do not run the handler. */
export const ANSWERED = 1;

/**
 * What {@link RequestGuard.enter} decided: {@link PASS}, {@link ANSWERED}, an admitted
 * {@link GuardedCall} (run the handler), or a promise of an answer still being written (a cache
 * lookup or `onReject`; the handler must not run).
 */
export type Verdict = GuardedCall | typeof PASS | typeof ANSWERED | Promise<void>;

/** Whether a verdict is an admitted call (run the handler; Koa and Fastify report errors to it). */
export function isAdmitted(verdict: Verdict): verdict is GuardedCall {
  return typeof verdict === 'object' && (verdict as GuardedCall).admitted === true;
}

/**
 * The guard of one middleware instance (one route on Fastify): validated options, the breakers it
 * resolves, its cache, and its framework binding.
 */
export class RequestGuard<Req, Res> {
  /** The parsed options. */
  readonly config: GuardConfig<Req>;
  /** The response cache, when the `cache` option is on. */
  readonly cache: GuardCache | undefined;
  private readonly resolver: BreakerResolver<Req>;

  constructor(
    options: GuardOptions<Req, unknown> | GuardConfig<Req>,
    private readonly binding: FrameworkBinding<Req, Res>,
    /** The breaker name when the adapter knows the route at construction (Fastify's `onRoute`). */
    routeName?: string,
    /** What that route covers, when known at construction. */
    routeScope?: BreakerScope,
  ) {
    this.config = isGuardConfig<Req>(options) ? options : parseGuardOptions(options);
    this.resolver = new BreakerResolver(this.config, routeName, routeScope);
    this.cache = obtainGuardCache(
      this.config as GuardConfig<unknown>,
      this.config.breaker.name ?? routeName,
    );
  }

  /**
   * The one call an adapter makes per request, before the handler runs.
   * Returns {@link PASS}, {@link ANSWERED}, a promise of an answer, or the admitted call (already
   * hooked to the response: its head stamps the state header and settles the call).
   */
  enter(req: Req, res: Res): Verdict {
    const raw = this.binding.rawRequest(req, res);
    if (raw.method === 'OPTIONS' && raw.headers['access-control-request-method'] !== undefined) {
      return PASS; // a CORS preflight touches no dependency
    }
    const config = this.config;
    const resolver = this.resolver;
    if (config.skip !== undefined && resolver.skips(req)) return PASS;
    const route = resolver.fixed ?? resolver.route(this.binding.routeName?.(req, res));
    const breaker = resolver.breakerOf(route, req);
    if (breaker === undefined) return PASS;
    const call = breaker.tryAcquireAs(GuardedCall, TimedGuardedCall);
    const rawResponse = this.binding.rawResponse(req, res);
    if (!call.admitted) {
      route.scope ??= this.binding.scope?.(req, res) ?? ORIGIN_SCOPE;
      return this.answer(req, res, raw, rawResponse, breaker, call, route.scope);
    }
    call.stampClosed = config.stampClosed;
    if (this.binding.attach === undefined || !this.binding.attach(call, req, res)) {
      call.attach(raw, rawResponse);
    }
    if (this.cache !== undefined)
      this.cache.capture(raw, rawResponse, call, this.originalUrl(req, res));
    return call;
  }

  /** Every breaker this guard created or shares so far. */
  breakers(): CircuitBreaker[] {
    return this.resolver.breakers();
  }

  private originalUrl(req: Req, res: Res): string | undefined {
    return this.binding.originalUrl?.(req, res);
  }

  /**
   * Answers a refused request: marks the raw response as a short-circuit (never recorded by any
   * breaker); serves a stored response when the cache has one; else runs `onReject` (with the state
   * headers set), and unless that produced a response, writes the built-in 503. Synchronous (no
   * promise, no microtask) unless the cache's store answers with a promise or there is an
   * `onReject`: the default in-memory cache serves a hit in the same call.
   */
  private answer(
    req: Req,
    res: Res,
    raw: IncomingMessage,
    rawResponse: ServerResponse,
    breaker: CircuitBreaker,
    rejection: Rejection,
    scope: BreakerScope,
  ): Verdict {
    markShortCircuit(rawResponse);
    const cache = this.cache;
    if (cache !== undefined) {
      let found: ReturnType<GuardCache['fallback']>;
      try {
        found = cache.fallback(raw, this.originalUrl(req, res), breaker, rejection);
      } catch {
        found = undefined; // a failing cache is a miss
      }
      if (isPromiseLike(found))
        return this.answerLater(req, res, rawResponse, rejection, scope, found);
      if (found !== undefined) {
        this.sendCached(req, res, rawResponse, found);
        return ANSWERED;
      }
    }
    return this.refuse(req, res, rawResponse, rejection, scope) ?? ANSWERED;
  }

  /** {@link answer} once an asynchronous store has answered (a store that fails is a miss). */
  private async answerLater(
    req: Req,
    res: Res,
    rawResponse: ServerResponse,
    rejection: Rejection,
    scope: BreakerScope,
    found: Promise<GuardReply | undefined>,
  ): Promise<void> {
    const cached = await found.catch(() => undefined);
    if (cached !== undefined) return this.sendCached(req, res, rawResponse, cached);
    return this.refuse(req, res, rawResponse, rejection, scope);
  }

  /**
   * A refusal with no stored response to serve: `onReject` (a promise of its answer), or without
   * one the built-in 503, written at once.
   */
  private refuse(
    req: Req,
    res: Res,
    rawResponse: ServerResponse,
    rejection: Rejection,
    scope: BreakerScope,
  ): Promise<void> | undefined {
    const onReject = this.config.onReject;
    if (onReject === undefined) {
      this.sendBuiltIn(req, res, rawResponse, rejection, scope);
      return undefined;
    }
    return this.reject(req, res, rawResponse, rejection, scope, onReject);
  }

  private sendCached(req: Req, res: Res, rawResponse: ServerResponse, cached: GuardReply): void {
    if (!rawResponse.headersSent && !rawResponse.writableEnded) this.binding.send(req, res, cached);
  }

  /** Runs `onReject`, and writes the built-in 503 unless it produced a response. */
  private async reject(
    req: Req,
    res: Res,
    rawResponse: ServerResponse,
    rejection: Rejection,
    scope: BreakerScope,
    onReject: NonNullable<GuardConfig<Req>['onReject']>,
  ): Promise<void> {
    const binding = this.binding;
    if (!rawResponse.headersSent) {
      rawResponse.setHeader(STATE_HEADER, wireState(rejection.state));
      rawResponse.setHeader(SCOPE_HEADER, formatScope(scope));
      rawResponse.setHeader(
        'Access-Control-Expose-Headers',
        mergeExposeHeaders(binding.getHeader(req, res, 'access-control-expose-headers')),
      );
    }
    try {
      await binding.callOnReject(onReject, req, res, rejection);
      if (binding.responded(req, res)) return;
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_ON_REJECT_THREW',
        `onReject threw (${String(error)}); the built-in 503 is sent`,
      );
    }
    this.sendBuiltIn(req, res, rawResponse, rejection, scope);
  }

  /** Writes the built-in 503, its expose list merged with the one the app set before the breaker. */
  private sendBuiltIn(
    req: Req,
    res: Res,
    rawResponse: ServerResponse,
    rejection: Rejection,
    scope: BreakerScope,
  ): void {
    if (rawResponse.headersSent || rawResponse.writableEnded) return;
    const reply = rejectionResponse(rejection, scope);
    const own = this.binding.getHeader(req, res, 'access-control-expose-headers');
    if (own === undefined) return this.binding.send(req, res, reply);
    this.binding.send(req, res, {
      status: reply.status,
      headers: { ...reply.headers, 'Access-Control-Expose-Headers': mergeExposeHeaders(own) },
      body: reply.body,
    });
  }

  private report(code: string, message: string): void {
    this.resolver.report(code, message);
  }
}
