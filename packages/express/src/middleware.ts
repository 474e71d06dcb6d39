// The Express middleware: Express's side of core's request guard, and one call into it per request.

import type { GuardOptions, Rejection } from '@breakwater/core';
import {
  ANSWERED,
  expressRouteName,
  expressRoutePath,
  hookResponsePrototype,
  isAdmitted,
  PASS,
  prefixScope,
  RequestGuard,
  routeScope,
  type FrameworkBinding,
} from '@breakwater/core/adapter';
import type { NextFunction, Request, Response } from 'express';

/** A custom short-circuit response. The state headers are already set; send a response (or the built-in 503 follows). */
export type ExpressOnReject = (
  req: Request,
  res: Response,
  rejection: Rejection,
) => void | Promise<void>;

/** Options of {@link circuitBreaker}: the breaker options plus `key`, `skip`, `onReject` on Express's `req`. */
export type ExpressCircuitBreakerOptions = GuardOptions<Request, ExpressOnReject>;

/**
 * The middleware. Generic in the route parameters so that it leaves the inference of `req.params`
 * in the handlers after it alone (`app.get('/users/:id', circuitBreaker(), (req) => req.params.id)`).
 */
export type CircuitBreakerMiddleware = <P>(
  req: Request<P>,
  res: Response,
  next: NextFunction,
) => void;

/** How Express is bound to core: its `req`/`res` are Node's own, extended. */
const binding: FrameworkBinding<Request, Response> = {
  rawRequest: (req) => req,
  rawResponse: (_req, res) => res,
  /** `GET /users/:id` when the middleware runs inside a route (`app.get(path, circuitBreaker(), …)`). */
  routeName: expressRouteName,
  /** The route's method and template, else the mount prefix, else (undefined) the whole origin. */
  scope(req) {
    const path = expressRoutePath(req);
    if (path !== undefined) return routeScope(req.method, path);
    return req.baseUrl === '' ? undefined : prefixScope(req.baseUrl);
  },
  originalUrl: (req) => req.originalUrl,
  getHeader: (_req, res, name) => res.getHeader(name),
  send(_req, res, reply) {
    res.statusCode = reply.status;
    for (const name in reply.headers) res.setHeader(name, reply.headers[name] as string | string[]);
    res.end(reply.body);
  },
  callOnReject: (onReject, req, res, rejection) =>
    (onReject as ExpressOnReject)(req, res, rejection),
  responded: (_req, res) => res.headersSent || res.writableEnded,
  attach: hookResponsePrototype,
};

/**
 * Express middleware guarding whatever it is mounted on: `app.use()` (one breaker for the app),
 * a router, or a single route (the breaker is then named after the route, e.g. `GET /users/:id`).
 * Records the status of each response head (including those Express writes for thrown and
 * `next(err)` errors); a client that disconnects before the response head is ignored.
 *
 * @example
 * app.get('/users/:id', circuitBreaker({ failureThreshold: 3 }), getUser);
 */
export function circuitBreaker(
  options: ExpressCircuitBreakerOptions = {},
): CircuitBreakerMiddleware {
  const guard = new RequestGuard<Request, Response>(options, binding);
  return function circuitBreakerMiddleware<P>(
    request: Request<P>,
    res: Response,
    next: NextFunction,
  ): void {
    const verdict = guard.enter(request as unknown as Request, res);
    if (verdict === ANSWERED) return;
    if (verdict === PASS || isAdmitted(verdict)) return next();
    verdict.catch(next);
  };
}
