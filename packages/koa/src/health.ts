// Koa middleware for health and readiness endpoints, built on core's healthResponse and readiness.
import {
  healthResponse,
  readiness,
  type BreakerRegistry,
  type HealthResponse,
  type ReadinessOptions,
} from '@breakwater/core';
import type { Context, Middleware } from 'koa';

/** Options of {@link healthHandler}. */
export interface HealthHandlerOptions {
  /** Whose breakers to report. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
}

/** Options of {@link readinessHandler}: the critical breakers, and optionally their registry. */
export interface ReadinessHandlerOptions extends ReadinessOptions, HealthHandlerOptions {}

function send(ctx: Context, response: HealthResponse<unknown>): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = JSON.stringify(response.body); // keeps the Content-Type set above
}

/**
 * A health endpoint (a terminal middleware, e.g. a @koa/router route): always `200`, JSON of every
 * breaker (state, counts, rates, reopen time).
 *
 * @example
 * router.get('/health', healthHandler());
 */
export function healthHandler(options: HealthHandlerOptions = {}): Middleware {
  const registry = options.registry;
  return function breakwaterHealth(ctx: Context): void {
    send(ctx, healthResponse(registry));
  };
}

/**
 * A readiness endpoint: `503` with `Retry-After` while a `critical` breaker is open, else `200`.
 * Bad options throw a `TypeError` here, not per request.
 *
 * @example
 * router.get('/ready', readinessHandler({ critical: ['payments'] }));
 */
export function readinessHandler(options: ReadinessHandlerOptions): Middleware {
  const { registry, critical } = options;
  readiness(registry, { critical }); // validates `critical` once
  return function breakwaterReadiness(ctx: Context): void {
    send(ctx, readiness(registry, { critical }));
  };
}
