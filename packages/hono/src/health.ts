// Hono handlers for health and readiness endpoints, over core's prepared endpoints.
import {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type HealthResponse,
  type ReadinessHandlerOptions,
} from '@breakwater/core';
import type { Handler } from 'hono';

export type { HealthHandlerOptions, ReadinessHandlerOptions };

function handler(respond: () => HealthResponse<unknown>): Handler {
  return function breakwaterHealth(): Response {
    const response = respond();
    return new Response(JSON.stringify(response.body), {
      status: response.status,
      headers: response.headers as Record<string, string>,
    });
  };
}

/**
 * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): Handler {
  return handler(healthEndpoint(options));
}

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
 * Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): Handler {
  return handler(readinessEndpoint(options));
}
