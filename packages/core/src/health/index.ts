// Health and readiness helpers: framework-free, so each adapter's handler is a few lines.

export {
  HEALTH_HEADERS,
  healthResponse,
  healthSnapshot,
  type HealthResponse,
  type HealthSnapshot,
} from './health-snapshot.js';
export {
  readiness,
  type ReadinessBody,
  type ReadinessOptions,
  type UnavailableBreaker,
} from './readiness.js';
export {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type ReadinessHandlerOptions,
} from './endpoints.js';
