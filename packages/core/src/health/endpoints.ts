// Health and readiness endpoints as prepared responders: options checked once, a response per call.

import type { BreakerRegistry } from '../registry.js';
import { healthResponse, type HealthResponse, type HealthSnapshot } from './health-snapshot.js';
import { readiness, type ReadinessBody, type ReadinessOptions } from './readiness.js';

/** Options of a health endpoint. */
export interface HealthHandlerOptions {
  /** Whose breakers to report. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
}

/** Options of a readiness endpoint: the critical breakers, and optionally their registry. */
export interface ReadinessHandlerOptions extends ReadinessOptions, HealthHandlerOptions {}

/** Prepares a health endpoint: each call answers `200` with JSON of every breaker. */
export function healthEndpoint(
  options: HealthHandlerOptions = {},
): () => HealthResponse<HealthSnapshot> {
  const registry = options.registry;
  return () => healthResponse(registry);
}

/**
 * Prepares a readiness endpoint: each call answers `503` with `Retry-After` while a critical
 * breaker is open, else `200`. Bad options throw a `TypeError` here, not per request.
 */
export function readinessEndpoint(
  options: ReadinessHandlerOptions,
): () => HealthResponse<ReadinessBody> {
  const { registry, critical } = options;
  readiness(registry, { critical }); // validates `critical` once
  return () => readiness(registry, { critical });
}
