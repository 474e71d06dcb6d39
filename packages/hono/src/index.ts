// @breakwater/hono: circuit-breaker middleware for Hono, thin glue over @breakwater/core's Web guard.

export { circuitBreaker, type HonoCircuitBreakerOptions, type HonoOnReject } from './middleware.js';
export {
  healthHandler,
  readinessHandler,
  type HealthHandlerOptions,
  type ReadinessHandlerOptions,
} from './health.js';
