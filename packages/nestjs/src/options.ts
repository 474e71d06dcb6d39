// The options of @breakwater/nestjs: core's adapter options on Nest's platform request and response.

import type { GuardOptions, Rejection } from '@breakwater/core';

/**
 * The request a Nest platform hands over: Express's `Request` on `@nestjs/platform-express`,
 * Fastify's `FastifyRequest` on `@nestjs/platform-fastify` (type it where you use it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- either platform's request
export type NestRequest = any;
/** The response a Nest platform hands over: Express's `Response`, or Fastify's `FastifyReply`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- either platform's response
export type NestResponse = any;

/**
 * A custom short-circuit response, sent with the platform's own `response` (Express `res` or
 * Fastify `reply`; the state headers are already set). Send nothing and the built-in 503 follows.
 */
export type NestOnReject = (
  request: NestRequest,
  response: NestResponse,
  rejection: Rejection,
) => void | Promise<void>;

/** Options of {@link CircuitBreaker} and {@link BreakwaterModule.forRoot}: core's adapter options. */
export type NestCircuitBreakerOptions = GuardOptions<NestRequest, NestOnReject>;

/** Options of {@link BreakwaterModule.forRoot}: defaults for every guarded route, and which routes. */
export interface BreakwaterModuleOptions extends NestCircuitBreakerOptions {
  /**
   * `'all'`: every HTTP route gets a breaker named after it (`GET /users/:id`) unless decorated
   * `@CircuitBreaker(false)`; `'decorated'`: only routes whose handler or controller carries
   * `@CircuitBreaker()`.
   * @defaultValue 'all'
   */
  routes?: 'all' | 'decorated';
}

/** The module's settings as the interceptor reads them (the options validated once). */
export interface BreakwaterSettings {
  readonly routes: 'all' | 'decorated';
  readonly options: NestCircuitBreakerOptions;
}

/** The injection token of {@link BreakwaterSettings}. */
export const BREAKWATER_SETTINGS = 'BREAKWATER_SETTINGS';
