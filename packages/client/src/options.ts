// The options of createFetch, and their parsing into a frozen, fully defaulted configuration.

import { systemClock, type ClientClock } from './clock.js';
import type { JitterMode } from './jitter.js';
import type { ScopeCloseEvent, ScopeOpenEvent } from './scope-table.js';
import type { BreakerScope } from './server-scope.js';
import {
  scopeKeyFunction,
  scopeWireFunction,
  type PathPrefixOption,
  type ScopeKeyFunction,
  type ScopeOption,
} from './scope.js';

/** What `fetch` takes as its first argument. */
export type FetchInput = string | URL | Request;

/** A function with `fetch`'s call signature. */
export type FetchFunction = (input: FetchInput, init?: RequestInit) => Promise<Response>;

/** Retries of idempotent requests after the server's `Retry-After`. */
export interface RetryOptions {
  /** Retries after the first attempt. Default `2`. */
  maxRetries?: number;
  /** The longest single wait, ms; a `Retry-After` longer than this is returned to the caller instead. Default `30000`. */
  maxDelay?: number;
  /** How waits are spread above the server's delay. Default `'full'`. */
  jitter?: JitterMode;
  /** Methods that may be retried. Default `['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']`. */
  methods?: readonly string[];
}

/** Options of {@link createFetch}; every field is optional. */
export interface ClientOptions {
  /** The fetch to wrap. Default: the global `fetch`, looked up at each call. */
  fetch?: FetchFunction;
  /**
   * Which requests share one back-off state when the server declares no scope (no
   * `X-Circuit-Breaker-Scope` on its 503). Default `'origin'`.
   */
  scope?: ScopeOption;
  /**
   * Follow the scope the server declares in `X-Circuit-Breaker-Scope`: back off only from the methods
   * and paths of that origin its open breaker covers. `false` applies `scope` to every answer. Default `true`.
   */
  honorServerScope?: boolean;
  /** With `scope: 'origin+path-prefix'`: leading path segments (default `1`) or a function returning the prefix. */
  pathPrefix?: PathPrefixOption;
  /** Also back off on `503` + `Retry-After` answers that lack `X-Circuit-Breaker-State`. Default `false`. */
  honorUnmarked503?: boolean;
  /** The longest back-off any answer can impose, ms; longer or far-future values are cut to it. Default `300000`. */
  maxRetryAfter?: number;
  /** Scopes tracked at once (least recently used forgotten first). Default `1000`. */
  maxScopes?: number;
  /** A probe with no answer after this many ms frees its slot for another call. Default `30000`. */
  probeTimeout?: number;
  /** Retry idempotent requests after the server's delay: `true` for the defaults, or options. Default off. */
  retry?: boolean | RetryOptions;
  /** Called when a scope starts backing off. Errors it throws are swallowed. */
  onOpen?: (event: ScopeOpenEvent) => void;
  /** Called when a probe's answer ends a scope's back-off. Errors it throws are swallowed. */
  onClose?: (event: ScopeCloseEvent) => void;
  /** Time source; default `Date.now()` and `setTimeout` (see {@link systemClock}). */
  clock?: ClientClock;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
}

/** The parsed retry options. */
export interface RetryConfiguration {
  readonly maxRetries: number;
  readonly maxDelay: number;
  readonly jitter: JitterMode;
  readonly methods: ReadonlySet<string>;
}

/** {@link ClientOptions} with every default applied. */
export interface ClientConfiguration {
  readonly fetch: FetchFunction;
  readonly scopeKey: ScopeKeyFunction;
  /** How the local 503 states a `scope`-option scope (`undefined` when it cannot). */
  readonly scopeWire: (url: URL) => BreakerScope | undefined;
  readonly honorServerScope: boolean;
  readonly honorUnmarked503: boolean;
  readonly maxRetryAfter: number;
  readonly maxScopes: number;
  readonly probeTimeout: number;
  readonly retry: RetryConfiguration | undefined;
  readonly onOpen: ((event: ScopeOpenEvent) => void) | undefined;
  readonly onClose: ((event: ScopeCloseEvent) => void) | undefined;
  readonly clock: ClientClock;
  readonly random: () => number;
}

const DEFAULT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

/** Validates `options` (throwing a `TypeError` or `RangeError` that names the option) and applies defaults. */
export function parseOptions(options: ClientOptions = {}): ClientConfiguration {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createFetch: options must be an object, received ${describe(options)}`);
  }
  const scope = options.scope ?? 'origin';
  if (typeof scope !== 'function' && scope !== 'origin' && scope !== 'origin+path-prefix') {
    throw new TypeError(
      `createFetch: scope must be 'origin', 'origin+path-prefix' or a function, received ${describe(scope)}`,
    );
  }
  const pathPrefix = options.pathPrefix ?? 1;
  if (typeof pathPrefix !== 'function') integer('pathPrefix', pathPrefix, 0, 64);
  return Object.freeze({
    fetch: fn('fetch', options.fetch) ?? globalFetch,
    scopeKey: scopeKeyFunction(scope, pathPrefix),
    scopeWire: scopeWireFunction(scope, pathPrefix),
    honorServerScope: bool('honorServerScope', options.honorServerScope) ?? true,
    honorUnmarked503: bool('honorUnmarked503', options.honorUnmarked503) ?? false,
    maxRetryAfter: duration('maxRetryAfter', options.maxRetryAfter, 1000) ?? 300_000,
    maxScopes: integer('maxScopes', options.maxScopes ?? 1000, 1, 1e7),
    probeTimeout: duration('probeTimeout', options.probeTimeout, 1) ?? 30_000,
    retry: parseRetry(options.retry),
    onOpen: fn('onOpen', options.onOpen),
    onClose: fn('onClose', options.onClose),
    clock: parseClock(options.clock),
    random: fn('random', options.random) ?? Math.random,
  });
}

function parseRetry(retry: boolean | RetryOptions | undefined): RetryConfiguration | undefined {
  if (retry === undefined || retry === false) return undefined;
  const options = retry === true ? {} : retry;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `createFetch: retry must be a boolean or an object, received ${describe(retry)}`,
    );
  }
  const jitter = options.jitter ?? 'full';
  if (jitter !== 'none' && jitter !== 'full' && jitter !== 'decorrelated') {
    throw new TypeError(
      `createFetch: retry.jitter must be 'none', 'full' or 'decorrelated', received ${describe(jitter)}`,
    );
  }
  const methods = options.methods ?? DEFAULT_METHODS;
  if (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string')) {
    throw new TypeError(
      `createFetch: retry.methods must be an array of method names, received ${describe(methods)}`,
    );
  }
  return Object.freeze({
    maxRetries: integer('retry.maxRetries', options.maxRetries ?? 2, 0, 100),
    maxDelay: duration('retry.maxDelay', options.maxDelay, 0) ?? 30_000,
    jitter,
    methods: new Set(methods.map((m) => m.toUpperCase())),
  });
}

function parseClock(clock: ClientClock | undefined): ClientClock {
  if (clock === undefined) return systemClock;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimer !== 'function'
  ) {
    throw new TypeError(
      `createFetch: clock must have now() and setTimer(callback, ms), received ${describe(clock)}`,
    );
  }
  return clock;
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `createFetch: ${name} must be an integer from ${min} to ${max}, received ${describe(value)}`,
    );
  }
  return value;
}

function duration(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(
      `createFetch: ${name} must be a finite number of ms >= ${min}, received ${describe(value)}`,
    );
  }
  return value;
}

function bool(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`createFetch: ${name} must be a boolean, received ${describe(value)}`);
}

function fn<F>(name: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(`createFetch: ${name} must be a function, received ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
