// @breakwater/core/adapter: what framework adapters and add-ons need. Semver-exempt: it follows core's internals.

export {
  ANSWERED,
  PASS,
  RequestGuard,
  isAdmitted,
  GUARD_OPTION_NAMES,
  GuardedCall,
  expressRouteName,
  expressRoutePath,
  hookResponsePrototype,
  isShortCircuit,
  markShortCircuit,
  parseGuardOptions,
  readGuardOptions,
  routeBreakerName,
  createGuardCache,
  type ExpressRouteRequest,
  type FrameworkBinding,
  type GuardConfig,
  type GuardReply,
  type Verdict,
  type WriteHead,
} from '../guard/index.js';
export * from '../http/index.js';
export { isPromiseLike } from '../cache/maybe-promise.js';
export { ResponseCapture, type BodyChunk, type CaptureSink } from '../cache/response-capture.js';
export { EventSource } from '../event-source.js';
export { healthHandlers, type HealthHandlers } from '../health/handlers.js';
export { Permit, Rejection } from '../permit.js';
export { warnOnce } from '../logger.js';
export { invalid as invalidOption, optionNames } from '../validate.js';
export { BREAKER_OPTION_NAMES, parseBreakerOptions, type BreakerConfig } from '../configuration.js';
export {
  WebCall,
  WebGuard,
  brokenOffByServer,
  isWebShortCircuit,
  replyBody,
  webResponse,
  type NodeHead,
  type WebAnswer,
  type WebBinding,
  type WebRefusal,
  type WebVerdict,
} from '../guard/web-guard.js';
