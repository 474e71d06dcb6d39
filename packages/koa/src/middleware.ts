// The Koa middleware: Koa's side of core's request guard, and one call into it per request.

import type { GuardOptions, Rejection } from '@breakwater/core';
import {
  ANSWERED,
  isAdmitted,
  PASS,
  prefixScope,
  RequestGuard,
  routeBreakerName,
  routeScope,
  type FrameworkBinding,
} from '@breakwater/core/adapter';
import type { Context, Middleware, Next } from 'koa';

/** A custom short-circuit response: set `ctx.status` and `ctx.body` (the state headers are already set). */
export type KoaOnReject = (ctx: Context, rejection: Rejection) => void | Promise<void>;

/** Options of {@link circuitBreaker}: the breaker options plus `key`, `skip`, `onReject` on Koa's `ctx`. */
export type KoaCircuitBreakerOptions = GuardOptions<Context, KoaOnReject>;

/** How Koa is bound to core: everything goes through `ctx`. */
const binding: FrameworkBinding<Context, undefined> = {
  rawRequest: (ctx) => ctx.req,
  rawResponse: (ctx) => ctx.res,
  /** `GET /users/:id` when mounted on a @koa/router route (its matched route pattern). */
  routeName(ctx) {
    const state = ctx as { _matchedRoute?: unknown; routerPath?: unknown };
    const path = typeof state._matchedRoute === 'string' ? state._matchedRoute : state.routerPath;
    return typeof path === 'string' ? routeBreakerName(ctx.method, path) : undefined;
  },
  /** The matched route's method and pattern, else a koa-mount prefix, else the whole origin. */
  scope(ctx) {
    const state = ctx as { _matchedRoute?: unknown; routerPath?: unknown; mountPath?: unknown };
    const path = typeof state._matchedRoute === 'string' ? state._matchedRoute : state.routerPath;
    if (typeof path === 'string') return routeScope(ctx.method, path);
    return typeof state.mountPath === 'string' ? prefixScope(state.mountPath) : undefined;
  },
  originalUrl: (ctx) => ctx.originalUrl,
  getHeader: (ctx, _res, name) => ctx.res.getHeader(name),
  send(ctx, _res, reply) {
    const { body, headers } = reply;
    ctx.status = reply.status;
    // Straight to Node: the values are already strings (ctx.set would re-normalise each one).
    for (const name in headers) ctx.res.setHeader(name, headers[name] as string | string[]);
    ctx.body =
      typeof body === 'string' || Buffer.isBuffer(body)
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  },
  callOnReject: (onReject, ctx, _res, rejection) => (onReject as KoaOnReject)(ctx, rejection),
  responded: (ctx) => ctx.body != null || ctx.res.headersSent,
};

/**
 * Koa middleware guarding what comes after it: `app.use()` (one breaker) or a @koa/router route
 * (the breaker is named after the route, e.g. `GET /users/:id`). Judges each call by the status of
 * its response head, with the error it threw (rethrown untouched): a thrown 4xx (`ctx.throw(404)`)
 * is that status, never a failure. A client that disconnects before the head is ignored.
 *
 * @example
 * router.get('/users/:id', circuitBreaker({ failureThreshold: 3 }), getUser);
 */
export function circuitBreaker(options: KoaCircuitBreakerOptions = {}): Middleware {
  const guard = new RequestGuard<Context, undefined>(options, binding);
  return async function circuitBreakerMiddleware(ctx: Context, next: Next): Promise<void> {
    const verdict = guard.enter(ctx, undefined);
    if (verdict === PASS) return next();
    if (verdict === ANSWERED) return;
    if (!isAdmitted(verdict)) return verdict;
    try {
      await next();
    } catch (error) {
      verdict.noteError(error);
      throw error;
    } finally {
      verdict.done();
    }
  };
}
