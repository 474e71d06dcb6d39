// The Express middleware: resolves the route name, admits the request, and writes short-circuits.

import {
  Guard,
  parseGuardOptions,
  routeBreakerName,
  type GuardOptions,
  type GuardReply,
  type Rejection,
} from '@breakwater/core';
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

/** `GET /users/:id` when the middleware runs inside a route (`app.get(path, circuitBreaker(), …)`). */
function routeName(req: Request): string | undefined {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route === undefined || typeof route.path !== 'string') return undefined;
  return routeBreakerName(req.method, `${req.baseUrl}${route.path}`);
}

function writeReply(res: Response, reply: GuardReply): void {
  res.statusCode = reply.status;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name] as string | string[]);
  res.end(reply.body);
}

/**
 * Express middleware guarding whatever it is mounted on: `app.use()` (one breaker for the app),
 * a router, or a single route (the breaker is then named after the route, e.g. `GET /users/:id`).
 * Records 5xx responses (including those Express writes for thrown and `next(err)` errors);
 * a client that disconnects before the response finished is ignored.
 *
 * @example
 * app.get('/users/:id', circuitBreaker({ failureThreshold: 3 }), getUser);
 */
export function circuitBreaker(
  options: ExpressCircuitBreakerOptions = {},
): CircuitBreakerMiddleware {
  const guard = new Guard(parseGuardOptions<Request>(options));
  const onReject = options.onReject;
  return function circuitBreakerMiddleware<P>(
    request: Request<P>,
    res: Response,
    next: NextFunction,
  ): void {
    const req = request as unknown as Request;
    const decision = guard.admit(req, routeName(req));
    if (decision === undefined) return next();
    if (decision.admitted) {
      decision.attach(req, res);
      return next();
    }
    const rejection = decision.rejection;
    guard
      .shortCircuit(decision, {
        req,
        res,
        onReject: onReject && (() => onReject(req, res, rejection)),
        responded: () => res.headersSent || res.writableEnded,
        write: (reply) => writeReply(res, reply),
      })
      .catch(next);
  };
}
