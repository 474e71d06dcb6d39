// @breakwater/core: the framework-free circuit-breaker engine.

export {
  CACHE_OPTION_NAMES,
  DEFAULT_CACHE_STATUSES,
  MemoryCacheStore,
  ResponseCache,
  ResponseCapture,
  createResponseCache,
  defaultCacheKey,
  isPromiseLike,
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
export { CircuitBreaker, type LastTransition, type RemoteState } from './circuit-breaker.js';
export { ManualClock, monotonicClock, type Clock, type TimerHandle } from './clock.js';
export { BREAKER_OPTION_NAMES, parseBreakerOptions, type BreakerConfig } from './configuration.js';
export { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
export {
  BrokenCircuitError,
  CallTimeoutError,
  isBrokenCircuitError,
  isCallTimeoutError,
  type BreakwaterErrorCode,
} from './errors.js';
export { EventSource, type Disposable, type Listener } from './event-source.js';
export type {
  BreakerEventMap,
  CacheEvent,
  CallEvent,
  CallResult,
  ProbeEvent,
  RejectEvent,
  StateChangeEvent,
} from './events.js';
export { KeyedBreakers } from './keyed-breakers.js';
export { consoleLogger, warnOnce, type Logger } from './logger.js';
export { obtainBreaker } from './obtain-breaker.js';
export type { BreakerOptions, CallOutcome, WindowOptions } from './options.js';
export { Permit, Rejection } from './permit.js';
export { BreakerRegistry, defaultRegistry } from './registry.js';
export type { BreakerSnapshot, RegistrySnapshot } from './snapshot.js';
export {
  wireState,
  type CircuitState,
  type TransitionReason,
  type TripReason,
  type WireState,
} from './state.js';
export { MemoryStore, memoryStore, type BreakerStore } from './store.js';
export { invalid as invalidOption } from './validate.js';
export {
  Guard,
  GuardCache,
  GuardRejection,
  GuardedCall,
  installPrototypeHeadHook,
  GUARD_OPTION_NAMES,
  createGuardCache,
  isShortCircuit,
  markShortCircuit,
  parseGuardOptions,
  routeBreakerName,
  type GuardConfig,
  type GuardOptions,
  type GuardReply,
  type GuardResponseHooks,
  type ShortCircuitIo,
} from './guard/index.js';
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
