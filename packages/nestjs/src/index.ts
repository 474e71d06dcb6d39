// @breakwater/nestjs: a module and a decorator for NestJS, thin glue over @breakwater/core's request guard.

export { BreakwaterModule } from './module.js';
export { CircuitBreaker, CIRCUIT_BREAKER_METADATA } from './decorator.js';
export { CircuitBreakerInterceptor } from './interceptor.js';
export {
  BREAKWATER_SETTINGS,
  type BreakwaterModuleOptions,
  type BreakwaterSettings,
  type NestCircuitBreakerOptions,
  type NestOnReject,
  type NestRequest,
  type NestResponse,
} from './options.js';
