// Express route handlers for health and readiness endpoints, over core's prepared endpoints.
import {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type HealthResponse,
  type ReadinessHandlerOptions,
} from '@breakwater/core';
import type { Request, Response } from 'express';

export type { HealthHandlerOptions, ReadinessHandlerOptions };

/** An Express handler that answers a health or readiness check. */
export type HealthRequestHandler = (req: Request, res: Response) => void;

function handler(respond: () => HealthResponse<unknown>): HealthRequestHandler {
  return function breakwaterHealth(_req, res) {
    const response = respond();
    res.status(response.status).set(response.headers).send(JSON.stringify(response.body));
  };
}

/**
 * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): HealthRequestHandler {
  return handler(healthEndpoint(options));
}

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
 * Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): HealthRequestHandler {
  return handler(readinessEndpoint(options));
}
