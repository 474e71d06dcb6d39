// The admin API: list breakers and operate them (force-open, reset, disable, shadow, enforce, configure).

export { adminEndpoint, type AdminActionResult, type AdminEndpoint } from './admin-endpoint.js';
export {
  ADMIN_OPTION_NAMES,
  parseAdminOptions,
  type AdminAuthorize,
  type AdminConfig,
  type AdminOptions,
} from './admin-options.js';
export { ADMIN_PROBLEM_TYPE } from './admin-problem.js';
export { ADMIN_ACTIONS, type AdminRouteAction } from './admin-route.js';
