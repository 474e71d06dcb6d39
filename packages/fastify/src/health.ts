// Fastify route handlers for health and readiness endpoints, built on core's healthResponse and readiness.
import {
  healthResponse,
  readiness,
  type BreakerRegistry,
  type HealthResponse,
  type ReadinessOptions,
} from '@breakwater/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link healthHandler}. */
export interface HealthHandlerOptions {
  /** Whose breakers to report. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
}

/** Options of {@link readinessHandler}: the critical breakers, and optionally their registry. */
export interface ReadinessHandlerOptions extends ReadinessOptions, HealthHandlerOptions {}

/** A Fastify route handler that answers a health or readiness check. */
export type HealthRouteHandler = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

function send(reply: FastifyReply, response: HealthResponse<unknown>): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(JSON.stringify(response.body));
}

/**
 * A health route handler: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 * Leave the route itself unguarded.
 *
 * @example
 * app.get('/health', { config: { circuitBreaker: false } }, healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): HealthRouteHandler {
  const registry = options.registry;
  return function breakwaterHealth(_request, reply) {
    return send(reply, healthResponse(registry));
  };
}

/**
 * A readiness route handler: `503` with `Retry-After` while a `critical` breaker is open, else
 * `200`. Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', { config: { circuitBreaker: false } }, readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): HealthRouteHandler {
  const { registry, critical } = options;
  readiness(registry, { critical }); // validates `critical` once
  return function breakwaterReadiness(_request, reply) {
    return send(reply, readiness(registry, { critical }));
  };
}
