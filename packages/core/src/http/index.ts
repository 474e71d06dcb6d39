// @breakwater/core/adapter: what every adapter needs about HTTP.

export { defaultIsFailure } from './classify.js';
export {
  EXPOSED_HEADERS,
  RETRY_AFTER_HEADER,
  STATE_HEADER,
  STATE_HEADER_LOWER,
  mergeExposeHeaders,
  retryAfterSeconds,
} from './headers.js';
export {
  FORCED_OPEN_PROBLEM_TYPE,
  PROBLEM_TYPE,
  problemDetails,
  rejectionResponse,
  type CircuitOpenProblem,
  type RejectionResponse,
} from './problem.js';
export { wireState, type WireState } from '../state.js';
export {
  ORIGIN_SCOPE,
  SCOPE_HEADER,
  SCOPE_HEADER_LOWER,
  formatScope,
  parseScope,
  prefixScope,
  routeScope,
  scopeMatches,
  type BreakerScope,
} from './scope.js';
