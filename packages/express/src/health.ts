// Express route handlers for health and readiness endpoints, over core's prepared endpoints.
import { healthHandlers, type HealthHandlers } from '@breakwater/core/adapter';
import type { Request, Response } from 'express';

export type { HealthHandlerOptions, ReadinessHandlerOptions } from '@breakwater/core';

/** An Express handler that answers a health or readiness check. */
export type HealthRequestHandler = (req: Request, res: Response) => void;

const handlers: HealthHandlers<HealthRequestHandler> = healthHandlers(
  (respond) =>
    function breakwaterHealth(_req, res) {
      const response = respond();
      res.status(response.status).set(response.headers).send(JSON.stringify(response.body));
    },
);

/**
 * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
 *
 * @example
 * app.get('/health', healthHandler());
 */
export const healthHandler: HealthHandlers<HealthRequestHandler>['healthHandler'] =
  handlers.healthHandler;

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else
 * `200`. Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * app.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export const readinessHandler: HealthHandlers<HealthRequestHandler>['readinessHandler'] =
  handlers.readinessHandler;
