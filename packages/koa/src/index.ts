// @breakwater/koa: circuit-breaker middleware for Koa 2 and 3, thin glue over @breakwater/core.

export { circuitBreaker, type KoaCircuitBreakerOptions, type KoaOnReject } from './middleware.js';
export {
  healthHandler,
  readinessHandler,
  type HealthHandlerOptions,
  type ReadinessHandlerOptions,
} from './health.js';
export {
  dashboardHandler,
  type DashboardMiddleware,
  type KoaDashboardOptions,
} from './dashboard.js';
export { adminHandler, type KoaAdminOptions } from './admin.js';
