// Fastify route handlers for health and readiness endpoints, over core's prepared endpoints.
import {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type HealthResponse,
  type ReadinessHandlerOptions,
} from '@breakwater/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type { HealthHandlerOptions, ReadinessHandlerOptions };

/** A Fastify route handler that answers a health or readiness check. */
export type HealthRouteHandler = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

function route(respond: () => HealthResponse<unknown>): HealthRouteHandler {
  return function breakwaterHealth(_request, reply) {
    const response = respond();
    return reply
      .code(response.status)
      .headers(response.headers)
      .send(JSON.stringify(response.body));
  };
}

/**
 * A health route handler: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 * Leave the route itself unguarded.
 *
 * @example
 * app.get('/health', { config: { circuitBreaker: false } }, healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): HealthRouteHandler {
  return route(healthEndpoint(options));
}

/**
 * A readiness route handler: `503` with `Retry-After` while a `critical` breaker is open, else
 * `200`. Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', { config: { circuitBreaker: false } }, readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): HealthRouteHandler {
  return route(readinessEndpoint(options));
}
