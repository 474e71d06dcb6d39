// @breakwater/client: a fetch wrapper that honours the server's Retry-After and circuit-breaker state.

export { createFetch, type BreakwaterFetch } from './create-fetch.js';
export type {
  ClientConfiguration,
  ClientOptions,
  FetchFunction,
  FetchInput,
  RetryConfiguration,
  RetryOptions,
} from './options.js';
export { parseOptions } from './options.js';
export type { ClientClock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export type { JitterMode } from './jitter.js';
export type { PathPrefixOption, ScopeKeyFunction, ScopeOption } from './scope.js';
export type {
  BackoffState,
  ScopeCloseEvent,
  ScopeOpenEvent,
  ScopeSnapshot,
} from './scope-table.js';
export type { BreakerScope } from './server-scope.js';
export { isShortCircuit, shortCircuitProblem, type ShortCircuitProblem } from './short-circuit.js';
export { parseHttpDate } from './http-date.js';
export { clampDelay, parseRetryAfter, type RetryAfterReference } from './retry-after.js';
export {
  CLIENT_HEADER,
  PROBLEM_TYPE,
  RETRY_AFTER_HEADER,
  SCOPE_HEADER,
  SHORT_CIRCUIT,
  STATE_HEADER,
} from './headers.js';
