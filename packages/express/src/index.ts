// @breakwater/express: circuit-breaker middleware for Express 4 and 5, thin glue over @breakwater/core.

export {
  circuitBreaker,
  type CircuitBreakerMiddleware,
  type ExpressCircuitBreakerOptions,
  type ExpressOnReject,
} from './middleware.js';
export {
  healthHandler,
  readinessHandler,
  type HealthHandlerOptions,
  type HealthRequestHandler,
  type ReadinessHandlerOptions,
} from './health.js';
export {
  dashboardHandler,
  type DashboardRequestHandler,
  type ExpressDashboardOptions,
} from './dashboard.js';
export { adminHandler, type AdminRequestHandler, type ExpressAdminOptions } from './admin.js';
