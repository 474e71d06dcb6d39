// The framework-free half of every adapter: which breaker guards a request, safe user hooks, admission.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { nextBreakerName, type CircuitBreaker } from '../circuit-breaker.js';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import { rejectionResponse } from '../http/problem.js';
import { KeyedBreakers } from '../keyed-breakers.js';
import { warnOnce } from '../logger.js';
import { obtainBreaker } from '../obtain-breaker.js';
import type { Rejection } from '../permit.js';
import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import { wireState } from '../state.js';
import { isPromiseLike } from '../cache/maybe-promise.js';
import { obtainGuardCache } from './guard-cache.js';
import type { GuardConfig } from './guard-options.js';
import { GuardedCall } from './guarded-call.js';
import { markShortCircuit } from './short-circuit.js';

/** A response ready to write: what a short-circuit sends. */
export interface GuardReply {
  readonly status: number;
  /** Header values; a list for a header sent several times (a cached response may have those). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | Uint8Array;
}

/**
 * Where the response cache plugs in (set by whoever wires `cache`); adapters never change for it.
 * `fallback` may replace the 503 with a stored response; `capture` sees every admitted response.
 */
export interface GuardResponseHooks {
  /** Offered each rejection before the 503 is built; returns a reply to serve instead, or `undefined`. */
  fallback?(
    req: IncomingMessage,
    rejection: GuardRejection,
  ): GuardReply | undefined | Promise<GuardReply | undefined>;
  /** Offered each admitted request's raw response right after the call is attached, to capture it. */
  capture?(req: IncomingMessage, res: ServerResponse, call: GuardedCall): void;
}

/** What {@link Guard.shortCircuit} needs from an adapter to answer a refused request. */
export interface ShortCircuitIo {
  /** The raw request and response. */
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Calls the user's `onReject` with the framework's arguments, when there is one. */
  readonly onReject: (() => unknown) | undefined;
  /** Whether `onReject` produced a response (so the built-in one must not be written). */
  responded(): boolean;
  /** Writes a reply the framework's way. */
  write(reply: GuardReply): void;
}

/** A request the breaker refused. */
export class GuardRejection {
  /** Discriminates a rejection from an admitted call. */
  readonly admitted = false as const;
  constructor(
    /** The breaker that refused. */
    readonly breaker: CircuitBreaker,
    /** Why, and for how long. */
    readonly rejection: Rejection,
  ) {}
}

/** Writes `reply` unless a response has already been started (by `onReject`, say). */
function writeUnlessSent(io: ShortCircuitIo, reply: GuardReply): void {
  if (!io.res.headersSent && !io.res.writableEnded) io.write(reply);
}

/** Keyed families shared by every guard of a registry, so same-named guards share their keyed breakers. */
const keyedFamilies = new WeakMap<BreakerRegistry, Map<string, KeyedBreakers>>();

/**
 * Resolves the breaker for a request and admits it. The breaker's name is `options.name`, else the
 * `defaultName` given at construction, else the route name the adapter passes per request (e.g.
 * `GET /users/:id`), else a fresh `breaker-N`. Same name, same breaker (within a registry).
 */
export class Guard<Req> {
  /**
   * Where the response cache plugs in: a `GuardCache` when the `cache` option is on, else
   * `undefined` (then no response is tapped: no per-request work for the cache).
   */
  responseHooks: GuardResponseHooks | undefined;
  private readonly sources = new Map<string, CircuitBreaker | KeyedBreakers>();
  private anonymous: CircuitBreaker | KeyedBreakers | undefined;
  private readonly capture = (req: IncomingMessage, res: ServerResponse, call: GuardedCall): void =>
    this.responseHooks?.capture?.(req, res, call);

  constructor(
    /** The parsed options. */
    readonly config: GuardConfig<Req>,
    defaultName?: string,
  ) {
    const name = config.name ?? defaultName;
    if (name !== undefined) this.anonymous = this.create(name);
    this.responseHooks = obtainGuardCache(config as GuardConfig<unknown>, name);
  }

  /**
   * Decides a request: `undefined` to let it pass unguarded (skipped, or its key could not be
   * computed), a {@link GuardRejection} to short-circuit, or a {@link GuardedCall} to attach.
   */
  admit(request: Req, routeName?: string): GuardedCall | GuardRejection | undefined {
    if (this.config.skip !== undefined && this.skips(request)) return undefined;
    const source = this.sourceFor(routeName);
    let breaker: CircuitBreaker;
    if (source instanceof KeyedBreakers) {
      const key = this.keyOf(request);
      if (key === undefined) return undefined;
      breaker = source.get(key);
    } else breaker = source;
    const permit = breaker.tryAcquire();
    if (!permit.admitted) return new GuardRejection(breaker, permit);
    return new GuardedCall(breaker, permit, this.capture);
  }

  /** The response for a rejection: a cached one if the cache seam offers it, else the built-in 503. */
  reply(req: IncomingMessage, rejected: GuardRejection): GuardReply | Promise<GuardReply> {
    const hooks = this.responseHooks;
    if (hooks?.fallback === undefined) return rejectionResponse(rejected.rejection);
    return Promise.resolve()
      .then(() => hooks.fallback!(req, rejected))
      .then(
        (cached) => cached ?? rejectionResponse(rejected.rejection),
        () => rejectionResponse(rejected.rejection),
      );
  }

  /**
   * Runs the user's `onReject` through `invoke`. Resolves `true` when it ran, `false` (after
   * reporting once) when it threw or rejected, so that the adapter sends the built-in 503.
   */
  async runOnReject(invoke: () => unknown): Promise<boolean> {
    try {
      await invoke();
      return true;
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_ON_REJECT_THREW',
        `onReject threw (${String(error)}); the built-in 503 is sent`,
      );
      return false;
    }
  }

  /**
   * Answers a refused request: marks the raw response as a short-circuit (never recorded by any
   * breaker); serves a stored response when the cache seam offers one; else runs the user's
   * `onReject` (with the state headers already set), and unless that produced a response, writes
   * the built-in 503 through the adapter's `write`. Returns a promise only when a cache or
   * `onReject` is involved; without them the 503 is written before it returns.
   */
  shortCircuit(rejected: GuardRejection, io: ShortCircuitIo): Promise<void> | undefined {
    markShortCircuit(io.res);
    if (this.responseHooks?.fallback === undefined && io.onReject === undefined) {
      // The common case answers synchronously: no promise, no microtask per rejected request.
      writeUnlessSent(io, rejectionResponse(rejected.rejection));
      return undefined;
    }
    return this.shortCircuitAsync(rejected, io);
  }

  private async shortCircuitAsync(rejected: GuardRejection, io: ShortCircuitIo): Promise<void> {
    const res = io.res;
    const hooks = this.responseHooks;
    if (hooks?.fallback !== undefined) {
      let cached: GuardReply | undefined;
      try {
        const found = hooks.fallback(io.req, rejected);
        cached = isPromiseLike(found) ? await found : found; // no await (microtask) on a sync store
      } catch {
        cached = undefined; // a failing cache is a miss
      }
      if (cached !== undefined) {
        writeUnlessSent(io, cached);
        return;
      }
    }
    if (io.onReject !== undefined) {
      if (!res.headersSent) {
        res.setHeader(STATE_HEADER, wireState(rejected.rejection.state));
        res.setHeader(
          'Access-Control-Expose-Headers',
          mergeExposeHeaders(res.getHeader('access-control-expose-headers')),
        );
      }
      const ran = await this.runOnReject(io.onReject);
      if (ran && io.responded()) return;
    }
    writeUnlessSent(io, rejectionResponse(rejected.rejection));
  }

  /** Every breaker this guard created or shares so far. */
  breakers(): CircuitBreaker[] {
    const all: CircuitBreaker[] = [];
    const add = (source: CircuitBreaker | KeyedBreakers | undefined): void => {
      if (source instanceof KeyedBreakers) all.push(...source.values());
      else if (source !== undefined) all.push(source);
    };
    add(this.anonymous);
    for (const source of this.sources.values()) add(source);
    return all;
  }

  private sourceFor(routeName: string | undefined): CircuitBreaker | KeyedBreakers {
    if (this.anonymous !== undefined) return this.anonymous;
    if (routeName === undefined) return (this.anonymous = this.create(undefined));
    let source = this.sources.get(routeName);
    if (source === undefined) {
      source = this.create(routeName);
      this.sources.set(routeName, source);
    }
    return source;
  }

  private create(name: string | undefined): CircuitBreaker | KeyedBreakers {
    const options = this.config.breaker;
    if (this.config.key === undefined) return obtainBreaker({ ...options, name });
    const familyName = name ?? nextBreakerName();
    const registry = options.registry === false ? undefined : (options.registry ?? defaultRegistry);
    let families = registry === undefined ? undefined : keyedFamilies.get(registry);
    if (registry !== undefined && families === undefined) {
      families = new Map();
      keyedFamilies.set(registry, families);
    }
    let family = families?.get(familyName);
    if (family === undefined) {
      family = new KeyedBreakers({ ...options, name: familyName }, this.config.maxBreakers);
      families?.set(familyName, family);
    }
    return family;
  }

  private skips(request: Req): boolean {
    try {
      const result = this.config.skip!(request);
      if (typeof result !== 'boolean') {
        this.report(
          'ERR_BREAKWATER_SKIP_INVALID',
          `skip returned ${typeof result}, not a boolean; only true skips`,
        );
      }
      return result === true;
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_SKIP_THREW',
        `skip threw (${String(error)}); the request is guarded`,
      );
      return false;
    }
  }

  private keyOf(request: Req): string | undefined {
    try {
      const key = this.config.key!(request);
      if (typeof key === 'string' && key.length > 0) return key;
      this.report(
        'ERR_BREAKWATER_KEY_INVALID',
        `key returned ${typeof key === 'string' ? 'an empty string' : typeof key}, not a non-empty string; the request passes unguarded`,
      );
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_KEY_THREW',
        `key threw (${String(error)}); the request passes unguarded`,
      );
    }
    return undefined;
  }

  private report(code: string, message: string): void {
    warnOnce(this.config.logger, code, message);
  }
}
