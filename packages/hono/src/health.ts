// Hono handlers for health and readiness endpoints, over core's prepared endpoints.
import { healthHandlers, type HealthHandlers } from '@breakwater/core/adapter';
import type { Handler } from 'hono';

export type { HealthHandlerOptions, ReadinessHandlerOptions } from '@breakwater/core';

const handlers: HealthHandlers<Handler> = healthHandlers(
  (respond) =>
    function breakwaterHealth(): Response {
      const response = respond();
      return new Response(JSON.stringify(response.body), {
        status: response.status,
        headers: response.headers as Record<string, string>,
      });
    },
);

/**
 * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', healthHandler());
 */
export const healthHandler: HealthHandlers<Handler>['healthHandler'] = handlers.healthHandler;

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else
 * `200`. Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export const readinessHandler: HealthHandlers<Handler>['readinessHandler'] =
  handlers.readinessHandler;
