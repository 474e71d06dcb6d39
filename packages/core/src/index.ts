// @breakwater/core: the framework-free circuit-breaker engine: what applications write code against.

export {
  CACHE_OPTION_NAMES,
  DEFAULT_CACHE_STATUSES,
  MemoryCacheStore,
  ResponseCache,
  defaultCacheKey,
  parseCacheOptions,
  type CacheConfig,
  type CacheHitDetail,
  type CacheOptions,
  type CacheRecord,
  type CacheRequest,
  type CacheSource,
  type CacheStore,
  type CacheTicket,
  type CachedReply,
  type MaybePromise,
  type MemoryCacheStoreOptions,
  type StoredResponse,
} from './cache/index.js';
export {
  CircuitBreaker,
  type AdminContext,
  type LastTransition,
  type RemoteState,
} from './circuit-breaker.js';
export { ManualClock, monotonicClock, type Clock, type TimerHandle } from './clock.js';
export { LIVE_OPTION_NAMES, type BreakerConfig } from './configuration.js';
export { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
export {
  BrokenCircuitError,
  CallTimeoutError,
  isBrokenCircuitError,
  isCallTimeoutError,
  type BreakwaterErrorCode,
} from './errors.js';
export type { Disposable, Listener } from './event-source.js';
export type {
  AdminAction,
  AdminEvent,
  BreakerEventMap,
  CacheEvent,
  CallEvent,
  CallResult,
  ProbeEvent,
  RejectEvent,
  StateChangeEvent,
} from './events.js';
export { KeyedBreakers } from './keyed-breakers.js';
export { keyedBreakerName, MAX_BREAKER_NAME_LENGTH } from './keyed-breaker-name.js';
export { consoleLogger, type Logger } from './logger.js';
export type { BreakerMode, BreakerOptions, CallOutcome, WindowOptions } from './options.js';
export type { Permit, Rejection } from './permit.js';
export {
  BreakerRegistry,
  defaultRegistry,
  memoryStore,
  type BreakerSelection,
  type ConfigureResult,
} from './registry.js';
export type { LiveOptions } from './live-options.js';
export type { BreakerSnapshot, RegistrySnapshot } from './snapshot.js';
export {
  wireState,
  type CircuitState,
  type TransitionReason,
  type TripReason,
  type WireState,
} from './state.js';
export { MemoryStore, type BreakerStore } from './store.js';
export {
  ADMIN_ACTIONS,
  ADMIN_OPTION_NAMES,
  ADMIN_PROBLEM_TYPE,
  adminEndpoint,
  parseAdminOptions,
  type AdminActionResult,
  type AdminAuthorize,
  type AdminConfig,
  type AdminEndpoint,
  type AdminOptions,
  type AdminRouteAction,
} from './admin/index.js';
export {
  envName,
  optionsFromEnv,
  type EnvBreakerOptions,
  type EnvOptionsOptions,
} from './env/index.js';
export type { GuardOptions } from './guard/guard-options.js';
export {
  healthEndpoint,
  readinessEndpoint,
  type HealthHandlerOptions,
  type ReadinessHandlerOptions,
  HEALTH_HEADERS,
  healthResponse,
  healthSnapshot,
  readiness,
  type HealthResponse,
  type HealthSnapshot,
  type ReadinessBody,
  type ReadinessOptions,
  type UnavailableBreaker,
} from './health/index.js';
export {
  dashboardEndpoint,
  dashboardBreaker,
  DASHBOARD_OPTION_NAMES,
  parseDashboardOptions,
  type DashboardAuthorize,
  type DashboardBreaker,
  type DashboardConfig,
  type DashboardEndpoint,
  type DashboardOptions,
  type DashboardSnapshotEvent,
  type DashboardThresholds,
  type DashboardTransitionEvent,
  type DashboardUpdateEvent,
} from './dashboard/index.js';
