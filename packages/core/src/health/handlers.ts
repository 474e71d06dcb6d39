// An adapter's health and readiness handler factories, from how its framework writes one response.

import {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type ReadinessHandlerOptions,
} from './endpoints.js';
import type { HealthResponse } from './health-snapshot.js';

/** The two handler factories an adapter exports, `H` being its framework's handler type. */
export interface HealthHandlers<H> {
  /**
   * A health endpoint: always `200`, JSON of every breaker (state, counts, rates, reopen time).
   * Leave its route unguarded.
   */
  healthHandler(options?: HealthHandlerOptions): H;
  /**
   * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
   * Bad options throw a `TypeError` here, not per request.
   */
  readinessHandler(options: ReadinessHandlerOptions): H;
}

/**
 * Builds an adapter's {@link HealthHandlers} from `toHandler`, which turns a prepared endpoint (a
 * function answering one {@link HealthResponse} per call) into the framework's handler.
 */
export function healthHandlers<H>(
  toHandler: (respond: () => HealthResponse<unknown>) => H,
): HealthHandlers<H> {
  return {
    healthHandler: (options = {}) => toHandler(healthEndpoint(options)),
    readinessHandler: (options) => toHandler(readinessEndpoint(options)),
  };
}
