// The Express middleware: resolves the route name, admits the request, and writes short-circuits.

import {
  Guard,
  installPrototypeHeadHook,
  type GuardedCall,
  parseGuardOptions,
  routeBreakerName,
  type GuardOptions,
  type GuardReply,
  type Rejection,
} from '@breakwater/core';
import type { NextFunction, Request, Response } from 'express';
import type { ServerResponse } from 'node:http';

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

/** Where the call lives between admission and the head: `res.locals`, Express's per-request bag. */
const CALL: unique symbol = Symbol('breakwater.express.call');
type Locals = { [CALL]?: GuardedCall } | undefined;

const callOf = (res: ServerResponse): GuardedCall | undefined =>
  ((res as Response).locals as Locals)?.[CALL];

/**
 * Stamps the head through a hook on the app's own response prototype (`app.response`), so the
 * response object itself gains no property (Express responses slow down measurably when one is
 * added). A nested guard, or a response Express did not set up, falls back to core's own hooks.
 */
function attach(call: GuardedCall, req: Request, res: Response): void {
  const locals = res.locals as Locals;
  if (
    locals !== undefined &&
    locals[CALL] === undefined &&
    installPrototypeHeadHook(Object.getPrototypeOf(res) as object, callOf)
  ) {
    locals[CALL] = call;
    call.attachListeners(req, res);
  } else {
    call.attach(req, res);
  }
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
      attach(decision, req, res);
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
      ?.catch(next);
  };
}
