// Fastify route handlers for health and readiness endpoints, over core's prepared endpoints.
import { healthHandlers, type HealthHandlers } from '@breakwater/core/adapter';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type { HealthHandlerOptions, ReadinessHandlerOptions } from '@breakwater/core';

/** A Fastify route handler that answers a health or readiness check. */
export type HealthRouteHandler = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

const handlers: HealthHandlers<HealthRouteHandler> = healthHandlers(
  (respond) =>
    function breakwaterHealth(_request, reply) {
      const response = respond();
      return reply
        .code(response.status)
        .headers(response.headers)
        .send(JSON.stringify(response.body));
    },
);

/**
 * A health endpoint (leave its route unguarded): always `200`, JSON of every breaker
 * (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', { config: { circuitBreaker: false } }, healthHandler());
 */
export const healthHandler: HealthHandlers<HealthRouteHandler>['healthHandler'] =
  handlers.healthHandler;

/**
 * A readiness endpoint (leave its route unguarded): `503` with `Retry-After` while a `critical`
 * breaker is open, else `200`. Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', { config: { circuitBreaker: false } }, readinessHandler({ critical: ['payments'] }));
 */
export const readinessHandler: HealthHandlers<HealthRouteHandler>['readinessHandler'] =
  handlers.readinessHandler;
