// The shared half of every adapter: option parsing, breaker resolution, admission, response hooks.

export {
  ANSWERED,
  PASS,
  RequestGuard,
  isAdmitted,
  type FrameworkBinding,
  type GuardReply,
  type Verdict,
} from './guard.js';
export {
  GUARD_OPTION_NAMES,
  parseGuardOptions,
  readGuardOptions,
  type GuardConfig,
  type GuardOptions,
} from './guard-options.js';
export { GuardedCall, type WriteHead } from './guarded-call.js';
export { expressRouteName, expressRoutePath, type ExpressRouteRequest } from './express-route.js';
export { hookResponsePrototype } from './prototype-head-hook.js';
export { isShortCircuit, markShortCircuit } from './short-circuit.js';
export { routeBreakerName } from './route-name.js';
export { GuardCache, createGuardCache } from './guard-cache.js';
