// The live dashboard: a framework-free endpoint (page + Server-Sent Events) that adapters wrap.

export { dashboardEndpoint, type DashboardEndpoint } from './dashboard-endpoint.js';
export {
  DASHBOARD_OPTION_NAMES,
  parseDashboardOptions,
  type DashboardAuthorize,
  type DashboardConfig,
  type DashboardOptions,
} from './dashboard-options.js';
export {
  dashboardBreaker,
  type DashboardBreaker,
  type DashboardThresholds,
} from './dashboard-breaker.js';
export type {
  DashboardSnapshotEvent,
  DashboardTransitionEvent,
  DashboardUpdateEvent,
} from './dashboard-feed.js';
