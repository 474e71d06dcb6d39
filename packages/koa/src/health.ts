// Koa middleware for health and readiness endpoints, over core's prepared endpoints.
import {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type HealthResponse,
  type ReadinessHandlerOptions,
} from '@breakwater/core';
import type { Context, Middleware } from 'koa';

export type { HealthHandlerOptions, ReadinessHandlerOptions };

function middleware(respond: () => HealthResponse<unknown>): Middleware {
  return function breakwaterHealth(ctx: Context): void {
    const response = respond();
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = JSON.stringify(response.body); // keeps the Content-Type set above
  };
}

/**
 * A health endpoint (a terminal middleware, e.g. a @koa/router route): always `200`, JSON of every
 * breaker (state, counts, rates, reopen time).
 *
 * @example
 * router.get('/health', healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): Middleware {
  return middleware(healthEndpoint(options));
}

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
 * Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * router.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): Middleware {
  return middleware(readinessEndpoint(options));
}
