// The fallback response cache: re-exports only.

export {
  MAX_CACHE_CONTROL_LENGTH,
  parseCacheControl,
  type CacheDirectives,
  type RawHeaderValue,
} from './cache-control.js';
export {
  MAX_VARIANT_LENGTH,
  MAX_VARY_NAMES,
  endToEndHeaders,
  variantOf,
  varyNames,
  type RequestHeadersInput,
  type ResponseHeadersInput,
  type StoredHeaders,
} from './cache-headers.js';
export {
  CACHE_OPTION_NAMES,
  DEFAULT_CACHE_STATUSES,
  parseCacheOptions,
  type CacheConfig,
  type CacheOptions,
  type CacheRequest,
} from './cache-options.js';
export type { CacheRecord, CacheStore, MaybePromise, StoredResponse } from './cache-store.js';
export {
  MemoryCacheStore,
  recordSize,
  type MemoryCacheStoreOptions,
} from './memory-cache-store.js';
export { isPromiseLike } from './maybe-promise.js';
export { ResponseCapture, type BodyChunk, type CaptureSink } from './response-capture.js';
export {
  MAX_KEY_LENGTH,
  MAX_VARIANTS,
  ResponseCache,
  defaultCacheKey,
  type CacheHitDetail,
  type CacheSource,
  type CacheTicket,
  type CachedReply,
} from './response-cache.js';
