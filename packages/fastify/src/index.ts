// @breakwater/fastify: a circuit-breaker plugin for Fastify 5, thin glue over @breakwater/core.

import { fastifyCircuitBreaker } from './plugin.js';

export {
  fastifyCircuitBreaker,
  type FastifyCircuitBreakerOptions,
  type FastifyOnReject,
} from './plugin.js';
export {
  healthHandler,
  readinessHandler,
  type HealthHandlerOptions,
  type HealthRouteHandler,
  type ReadinessHandlerOptions,
} from './health.js';
export {
  dashboardHandler,
  type DashboardRouteHandler,
  type FastifyDashboardOptions,
} from './dashboard.js';
export { adminHandler, type AdminPlugin, type FastifyAdminOptions } from './admin.js';
export default fastifyCircuitBreaker;
