// Express route handlers for health and readiness endpoints, built on core's healthResponse and readiness.
import {
  healthResponse,
  readiness,
  type BreakerRegistry,
  type HealthResponse,
  type ReadinessOptions,
} from '@breakwater/core';
import type { Request, Response } from 'express';

/** Options of {@link healthHandler}. */
export interface HealthHandlerOptions {
  /** Whose breakers to report. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
}

/** Options of {@link readinessHandler}: the critical breakers, and optionally their registry. */
export interface ReadinessHandlerOptions extends ReadinessOptions, HealthHandlerOptions {}

/** An Express handler that answers a health or readiness check. */
export type HealthRequestHandler = (req: Request, res: Response) => void;

function send(res: Response, response: HealthResponse<unknown>): void {
  res.status(response.status).set(response.headers).send(JSON.stringify(response.body));
}

/**
 * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): HealthRequestHandler {
  const registry = options.registry;
  return function breakwaterHealth(_req, res) {
    send(res, healthResponse(registry));
  };
}

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
 * Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): HealthRequestHandler {
  const { registry, critical } = options;
  readiness(registry, { critical }); // validates `critical` once
  return function breakwaterReadiness(_req, res) {
    send(res, readiness(registry, { critical }));
  };
}
