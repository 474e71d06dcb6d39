// The Hono middleware: Hono's side of core's Web guard, on Web-standard Request/Response, one call per request.

import type { GuardOptions, Rejection } from '@breakwater/core';
import {
  brokenOffByServer,
  isPromiseLike,
  replyBody,
  routeBreakerName,
  routeScope,
  WebGuard,
  type WebAnswer,
  type WebBinding,
} from '@breakwater/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A custom short-circuit response: return a `Response` (the state headers are already set on `c`). */
export type HonoOnReject = (
  c: Context,
  rejection: Rejection,
) => Response | undefined | void | Promise<Response | undefined | void>;

/** Options of {@link circuitBreaker}: the breaker options plus `key`, `skip`, `onReject` on Hono's `c`. */
export type HonoCircuitBreakerOptions = GuardOptions<Context, HonoOnReject>;

/** What @hono/node-server puts in `c.env`: Node's request and response (duck-typed, no node:http). */
interface NodeBindings {
  readonly incoming: Parameters<typeof brokenOffByServer>[0];
  readonly outgoing: Parameters<typeof brokenOffByServer>[1];
}

/** Node's request and response when the app runs on @hono/node-server, else `undefined`. */
function nodeBindings(c: Context): NodeBindings | undefined {
  const env = c.env as Partial<NodeBindings> | undefined;
  const outgoing = env?.outgoing;
  return outgoing !== undefined && typeof outgoing.once === 'function' && env?.incoming
    ? (env as NodeBindings)
    : undefined;
}

/**
 * Whether Node's raw request headers hold `Origin` (a cross-origin request). Read from the raw
 * list: @hono/node-server never asks Node for `incoming.headers`, which Node builds on first read.
 */
function hasOrigin(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 6 && name.toLowerCase() === 'origin') return true;
  }
  return false;
}

const isExpose = (name: string): boolean =>
  name.length === 29 && name.toLowerCase() === 'access-control-expose-headers';

/** How Hono is bound to core: everything goes through `c`. */
const binding: WebBinding<Context> = {
  request: (c) => c.req.raw,
  /** `GET /users/:id` when mounted on a route (`app.get(path, circuitBreaker(), …)`); none for `app.use`. */
  routeName(c) {
    const route = matchedRoutes(c)[c.req.routeIndex];
    if (route === undefined || route.method === 'ALL') return undefined;
    return routeBreakerName(c.req.method, route.path);
  },
  /** The matched route's method and path; the whole origin for `app.use`. */
  scope(c) {
    const route = matchedRoutes(c)[c.req.routeIndex];
    if (route === undefined || route.method === 'ALL') return undefined;
    return routeScope(c.req.method, route.path);
  },
  /**
   * Not read: `c.res` would build a Response early, which Hono then copies when the answer is
   * assigned. The expose list is appended instead (see {@link respond}), which merges it with the
   * one the app set before the guard.
   */
  getHeader: () => undefined,
  setHeader: (c, name, value) => c.header(name, value, { append: isExpose(name) }),
  /** On @hono/node-server, Node's request: the cache reads its headers, not the Web ones. */
  nodeRequest: (c) => nodeBindings(c)?.incoming,
  callOnReject: (onReject, c, rejection) => (onReject as HonoOnReject)(c, rejection),
};

/**
 * Writes a short-circuit reply through `c`, so that the headers the app set before the guard
 * (`cors()`) stay, ours win over them, and our expose list is appended to theirs. A `Response`
 * from `onReject` is sent as it is.
 */
function respond(c: Context, answer: WebAnswer): Response {
  if (answer instanceof Response) return answer;
  const headers = answer.headers;
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value === 'string') c.header(name, value, { append: isExpose(name) });
    else for (const item of value) c.header(name, item, { append: true });
  }
  return c.newResponse(replyBody(answer), answer.status as ContentfulStatusCode);
}

/**
 * Hono middleware guarding what comes after it: `app.use(circuitBreaker())` (one breaker) or one
 * route (`app.get('/users/:id', circuitBreaker(), handler)`, the breaker named `GET /users/:id`).
 * Judges each call by the status of the Response the handler produced, with `c.error` for a thrown
 * error (an `HTTPException` with a 4xx status is that status, never a failure). A client whose
 * request signal aborted before the response is ignored. Runs on any runtime Hono runs on; on
 * @hono/node-server a body the server breaks off after the head also counts as a failure.
 *
 * @example
 * app.get('/users/:id', circuitBreaker({ failureThreshold: 3 }), getUser);
 */
export function circuitBreaker(options: HonoCircuitBreakerOptions = {}): MiddlewareHandler {
  const guard = new WebGuard<Context>(options, binding);
  return async function circuitBreakerMiddleware(c, next) {
    const verdict = guard.enter(c);
    if (verdict === undefined) return next();
    if (!verdict.admitted) {
      const answer = guard.answer(c, verdict);
      return respond(c, isPromiseLike(answer) ? await answer : answer);
    }
    const node = nodeBindings(c);
    if (node !== undefined) {
      const { incoming, outgoing } = node;
      // `on`, not `once`: the response closes once, and `once` wraps the listener per request.
      outgoing.on('close', () => {
        // @hono/node-server ends a response whose body stream failed, then destroys it with the error.
        if (outgoing.errored != null) return verdict.connectionClosed(true);
        if (!outgoing.writableFinished)
          verdict.connectionClosed(brokenOffByServer(incoming, outgoing));
      });
    } else {
      // Other runtimes: the request signal tells a client that left; a body error, a cut-off.
      c.req.raw.signal.addEventListener('abort', () => verdict.connectionClosed(false), {
        once: true,
      });
    }
    try {
      await next();
    } catch (error) {
      // Hono hands Errors to onError; anything else is rethrown to the runtime: a failure.
      if (!verdict.permit.settled) verdict.permit.record({ error });
      throw error;
    }
    const crossOrigin = node === undefined ? undefined : hasOrigin(node.incoming.rawHeaders);
    const out = verdict.finish(c.res, c.error, node === undefined, crossOrigin, node?.outgoing);
    const response = out instanceof Response ? out : await out;
    if (response !== c.res) {
      c.res = undefined; // replace, not merge: the old headers must not come back
      c.res = response;
    }
  };
}
