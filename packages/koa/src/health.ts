// Koa middleware for health and readiness endpoints, over core's prepared endpoints.
import { healthHandlers, type HealthHandlers } from '@breakwater/core/adapter';
import type { Context, Middleware } from 'koa';

export type { HealthHandlerOptions, ReadinessHandlerOptions } from '@breakwater/core';

const handlers: HealthHandlers<Middleware> = healthHandlers(
  (respond) =>
    function breakwaterHealth(ctx: Context): void {
      const response = respond();
      ctx.status = response.status;
      ctx.set(response.headers);
      ctx.body = JSON.stringify(response.body); // keeps the Content-Type set above
    },
);

/**
 * A health endpoint (terminal middleware, e.g. a @koa/router route): always `200`, JSON of
 * every breaker (state, counts, rates, reopen time).
 *
 * @example
 * router.get('/health', healthHandler());
 */
export const healthHandler: HealthHandlers<Middleware>['healthHandler'] = handlers.healthHandler;

/**
 * A readiness endpoint (terminal middleware, e.g. a @koa/router route): `503` with
 * `Retry-After` while a `critical` breaker is open, else `200`. Bad options throw a `TypeError`
 * here, not per request.
 *
 * @example
 * router.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export const readinessHandler: HealthHandlers<Middleware>['readinessHandler'] =
  handlers.readinessHandler;
