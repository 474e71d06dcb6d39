// The route of an Express request (Express itself, or Nest on Express): its template and breaker name.

import { routeBreakerName } from './route-name.js';

/** What Express puts on a request: its method, mount path and, inside a route, the route. */
export interface ExpressRouteRequest {
  readonly method: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

/** Names by Express route object (one per route, shared by its requests). */
const names = new WeakMap<object, { method: string; baseUrl: string | undefined; name: string }>();

/** The template of the route `req` is in (its mount path and the route's path), else `undefined`. */
export function expressRoutePath(req: ExpressRouteRequest): string | undefined {
  // Express sets `route` on the request itself; `hasOwn` first, as a property the request
  // lacks (outside routes) is a slow lookup along its prototype chain.
  if (!Object.hasOwn(req, 'route')) return undefined;
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

/**
 * `GET /users/:id` for a request inside an Express route, else `undefined`. Kept per route object
 * (and method and mount path): no name is built, and no fresh string hashed, per request.
 */
export function expressRouteName(req: ExpressRouteRequest): string | undefined {
  if (!Object.hasOwn(req, 'route')) return undefined;
  const route = req.route;
  if (typeof route !== 'object' || route === null) return undefined;
  const known = names.get(route);
  if (known?.method === req.method && known.baseUrl === req.baseUrl) return known.name;
  const path = expressRoutePath(req);
  if (path === undefined) return undefined;
  const name = routeBreakerName(req.method, path);
  names.set(route, { method: req.method, baseUrl: req.baseUrl, name });
  return name;
}
