// The Koa middleware: resolves the route name, admits the request, records thrown errors, short-circuits.

import {
  Guard,
  parseGuardOptions,
  routeBreakerName,
  type GuardOptions,
  type GuardReply,
  type Rejection,
} from '@breakwater/core';
import type { Context, Middleware, Next } from 'koa';

/** A custom short-circuit response: set `ctx.status` and `ctx.body` (the state headers are already set). */
export type KoaOnReject = (ctx: Context, rejection: Rejection) => void | Promise<void>;

/** Options of {@link circuitBreaker}: the breaker options plus `key`, `skip`, `onReject` on Koa's `ctx`. */
export type KoaCircuitBreakerOptions = GuardOptions<Context, KoaOnReject>;

/** `GET /users/:id` when mounted on a @koa/router route (its matched route pattern), else `undefined`. */
function routeName(ctx: Context): string | undefined {
  const route = (ctx as { _matchedRoute?: unknown; routerPath?: unknown })._matchedRoute;
  const path = typeof route === 'string' ? route : (ctx as { routerPath?: unknown }).routerPath;
  return typeof path === 'string' ? routeBreakerName(ctx.method, path) : undefined;
}

function writeReply(ctx: Context, reply: GuardReply): void {
  const { body, headers } = reply;
  ctx.status = reply.status;
  // Straight to Node: the values are already strings (ctx.set would re-normalise each one).
  for (const name in headers) ctx.res.setHeader(name, headers[name] as string | string[]);
  ctx.body =
    typeof body === 'string' || Buffer.isBuffer(body)
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** The cache keys on the URL as received; koa-mount rewrites `req.url`, so keep the original on it. */
function keepOriginalUrl(ctx: Context): void {
  const req = ctx.req as { originalUrl?: string };
  req.originalUrl ??= ctx.originalUrl;
}

/**
 * Koa middleware guarding what comes after it: `app.use()` (one breaker) or a @koa/router route
 * (the breaker is named after the route, e.g. `GET /users/:id`). Records 5xx responses and thrown
 * errors (which it rethrows); a client that disconnects before the response finished is ignored.
 *
 * @example
 * router.get('/users/:id', circuitBreaker({ failureThreshold: 3 }), getUser);
 */
export function circuitBreaker(options: KoaCircuitBreakerOptions = {}): Middleware {
  const guard = new Guard(parseGuardOptions<Context>(options));
  const onReject = options.onReject;
  const cached = guard.responseHooks !== undefined;
  return async function circuitBreakerMiddleware(ctx: Context, next: Next): Promise<void> {
    const decision = guard.admit(ctx, routeName(ctx));
    if (decision === undefined) return next();
    if (cached) keepOriginalUrl(ctx);
    if (decision.admitted) {
      decision.attach(ctx.req, ctx.res);
      try {
        await next();
      } catch (error) {
        decision.fail(error);
        throw error;
      }
      return;
    }
    const rejection = decision.rejection;
    const pending = guard.shortCircuit(decision, {
      req: ctx.req,
      res: ctx.res,
      onReject: onReject && (() => onReject(ctx, rejection)),
      responded: () => ctx.body != null || ctx.res.headersSent,
      write: (reply) => writeReply(ctx, reply),
    });
    if (pending !== undefined) await pending;
  };
}
