// Parses public BreakerOptions once into a frozen, fully defaulted configuration.

import { monotonicClock, type Clock } from './clock.js';
import { defaultIsFailure } from './http/classify.js';
import { consoleLogger, type Logger } from './logger.js';
import { defaultRegistry, memoryStore, type BreakerRegistry } from './registry.js';
import type { BreakerStore } from './store.js';
import type { BreakerMode, BreakerOptions, CallOutcome } from './options.js';
import { duration, integer, invalid, optionalFunction, optionalName, percent } from './validate.js';

/** The parsed form of {@link BreakerOptions}: every default applied. */
export interface BreakerConfig {
  readonly name: string | undefined;
  /** `undefined` when consecutive failures do not open the breaker. */
  readonly failureThreshold: number | undefined;
  readonly failureRateThreshold: number | undefined;
  readonly slowCallDurationThreshold: number | undefined;
  readonly slowCallRateThreshold: number | undefined;
  readonly window:
    | { readonly type: 'count'; readonly size: number }
    | { readonly type: 'time'; readonly duration: number };
  readonly minimumCalls: number;
  readonly openDuration: number;
  readonly maxOpenDuration: number;
  readonly halfOpenMaxCalls: number;
  readonly successThreshold: number;
  readonly timeout: number | undefined;
  readonly isFailure: (outcome: CallOutcome) => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The registry breakers join (`undefined` for none). */
  readonly registry: BreakerRegistry | undefined;
  /** Where breaker state is shared. */
  readonly store: BreakerStore;
  /** `enforce` refuses calls while open; `shadow` records what it would refuse and admits them. */
  readonly mode: BreakerMode;
  /** Fraction in [0, 1): each open round lasts its duration spread by up to ± this. */
  readonly openDurationJitter: number;
  /** The random source jitter draws from (values in [0, 1)). */
  readonly random: () => number;
}

/** Configurations made by {@link parseBreakerOptions}: passed again, they are not parsed twice. */
const parsed = new WeakSet<BreakerConfig>();

/** Whether `value` is a configuration {@link parseBreakerOptions} made (so already valid). */
export function isBreakerConfig(value: unknown): value is BreakerConfig {
  return typeof value === 'object' && value !== null && parsed.has(value as BreakerConfig);
}

/** The option names {@link parseBreakerOptions} reads. */
export const BREAKER_OPTION_NAMES: ReadonlySet<string> = new Set([
  'name',
  'failureThreshold',
  'failureRateThreshold',
  'slowCallDurationThreshold',
  'slowCallRateThreshold',
  'window',
  'minimumCalls',
  'openDuration',
  'maxOpenDuration',
  'halfOpenMaxCalls',
  'successThreshold',
  'timeout',
  'isFailure',
  'clock',
  'registry',
  'store',
  'logger',
  'mode',
  'openDurationJitter',
  'random',
]);

/** The options a live breaker cannot change: its identity, where it lives, and its time source. */
const FIXED_OPTION_NAMES: ReadonlySet<string> = new Set(['name', 'registry', 'store', 'clock']);

/** The option names {@link CircuitBreaker.configure} may change on a live breaker. */
export const LIVE_OPTION_NAMES: ReadonlySet<string> = new Set(
  [...BREAKER_OPTION_NAMES].filter((name) => !FIXED_OPTION_NAMES.has(name)),
);

function parseWindow(value: unknown): BreakerConfig['window'] {
  if (value === undefined) return { type: 'count', size: 100 };
  if (typeof value !== 'object' || value === null) {
    invalid('window', value, '{ type: "count", size } or { type: "time", duration }');
  }
  const window = value as { type?: unknown; size?: unknown; duration?: unknown };
  if (window.type === 'count')
    return { type: 'count', size: integer('window.size', window.size, 100, 1, 1_000_000) };
  if (window.type === 'time') {
    return { type: 'time', duration: duration('window.duration', window.duration) ?? 60_000 };
  }
  return invalid('window.type', window.type, '"count" or "time"');
}

/**
 * Validates `options` and applies every default. Throws a `TypeError` naming the first bad option.
 * Options it does not know are left to the caller (adapters add their own).
 */
export function parseBreakerOptions(options: BreakerOptions | BreakerConfig = {}): BreakerConfig {
  if (isBreakerConfig(options)) return options;
  if (typeof options !== 'object' || options === null) invalid('options', options, 'an object');
  const failureRateThreshold = percent('failureRateThreshold', options.failureRateThreshold);
  const slowCallRateThreshold = percent('slowCallRateThreshold', options.slowCallRateThreshold);
  const slowCallDurationThreshold = duration(
    'slowCallDurationThreshold',
    options.slowCallDurationThreshold,
  );
  if (slowCallRateThreshold !== undefined && slowCallDurationThreshold === undefined) {
    invalid('slowCallDurationThreshold', undefined, 'set when slowCallRateThreshold is set');
  }
  const usesRates = failureRateThreshold !== undefined || slowCallRateThreshold !== undefined;
  const failureThreshold =
    options.failureThreshold === undefined && usesRates
      ? undefined
      : integer('failureThreshold', options.failureThreshold, 5, 1);
  const openDuration = duration('openDuration', options.openDuration) ?? 30_000;
  const maxOpenDuration = duration('maxOpenDuration', options.maxOpenDuration) ?? openDuration;
  if (maxOpenDuration < openDuration) {
    invalid('maxOpenDuration', maxOpenDuration, `≥ openDuration (${openDuration})`);
  }
  const clock = options.clock ?? monotonicClock;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    invalid('clock', clock, 'an object with a now() method');
  }
  const logger = options.logger ?? consoleLogger;
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof logger.warn !== 'function' ||
    typeof logger.error !== 'function'
  ) {
    invalid('logger', logger, 'an object with warn() and error() methods');
  }
  if (
    options.store !== undefined &&
    (typeof options.store !== 'object' ||
      options.store === null ||
      typeof options.store.attach !== 'function')
  ) {
    invalid('store', options.store, 'a BreakerStore (an object with attach() and detach())');
  }
  if (
    options.registry !== undefined &&
    options.registry !== false &&
    (typeof options.registry !== 'object' || options.registry === null)
  ) {
    invalid('registry', options.registry, 'a BreakerRegistry or false');
  }
  const mode = options.mode ?? 'enforce';
  if (mode !== 'enforce' && mode !== 'shadow') invalid('mode', mode, '"enforce" or "shadow"');
  const openDurationJitter = options.openDurationJitter ?? 0;
  if (
    typeof openDurationJitter !== 'number' ||
    !(openDurationJitter >= 0 && openDurationJitter < 1)
  ) {
    invalid('openDurationJitter', openDurationJitter, 'a fraction in [0, 1)');
  }
  const config: BreakerConfig = Object.freeze({
    name: optionalName('name', options.name),
    failureThreshold,
    failureRateThreshold,
    slowCallDurationThreshold,
    slowCallRateThreshold,
    window: Object.freeze(parseWindow(options.window)),
    minimumCalls: integer('minimumCalls', options.minimumCalls, 10, 1),
    openDuration,
    maxOpenDuration,
    halfOpenMaxCalls: integer('halfOpenMaxCalls', options.halfOpenMaxCalls, 1, 1, 10_000),
    successThreshold: integer('successThreshold', options.successThreshold, 1, 1, 10_000),
    timeout: duration('timeout', options.timeout),
    isFailure:
      optionalFunction<BreakerConfig['isFailure']>('isFailure', options.isFailure) ??
      defaultIsFailure,
    clock,
    logger,
    registry: options.registry === false ? undefined : (options.registry ?? defaultRegistry),
    store: options.store ?? memoryStore,
    mode,
    openDurationJitter,
    random: optionalFunction<() => number>('random', options.random) ?? Math.random,
  });
  parsed.add(config);
  return config;
}

/**
 * @internal A parsed configuration with some fields replaced by values that are valid already
 * (a family's name, the registry a breaker is obtained in): not parsed again.
 */
export function withConfig(
  config: BreakerConfig,
  changes: Partial<Pick<BreakerConfig, 'name' | 'registry' | 'store' | 'mode'>>,
): BreakerConfig {
  const changed: BreakerConfig = Object.freeze({ ...config, ...changes });
  parsed.add(changed);
  return changed;
}

/**
 * A string that is equal for two configurations exactly when their data options agree (every
 * option but `name`, `mode` (an operating switch) and the objects and functions: `isFailure`,
 * `clock`, `logger`, `random`).
 */
export function configSignature(config: BreakerConfig): string {
  const {
    name: _name,
    isFailure: _isFailure,
    clock: _clock,
    logger: _logger,
    registry: _registry,
    store: _store,
    mode: _mode,
    random: _random,
    ...data
  } = config;
  return JSON.stringify(data);
}

/** Options same-named breakers need not agree on (see {@link SHARED_OPTION_NAMES}). */
const UNSHARED_OPTION_NAMES: ReadonlySet<string> = new Set([
  'name',
  'registry',
  'logger',
  'mode',
  'random',
]);

/**
 * The options that breakers sharing a name must agree on, in the order they are compared: every
 * option but `name`, `registry` (the same by construction: the name is looked up in it),
 * `logger`, `mode` and `random` (the first breaker's are kept: `mode` is an operating switch). Data options are compared by value, `isFailure`,
 * `clock` and `store` by identity.
 */
export const SHARED_OPTION_NAMES: readonly (keyof BreakerConfig)[] = Object.freeze(
  [...BREAKER_OPTION_NAMES].filter(
    (name) => !UNSHARED_OPTION_NAMES.has(name),
  ) as (keyof BreakerConfig)[],
);

/** An option on which two configurations disagree, with both values. */
export interface ConfigDifference {
  readonly option: string;
  readonly existing: unknown;
  readonly requested: unknown;
}

/** The first of {@link SHARED_OPTION_NAMES} on which `existing` and `requested` disagree. */
export function configDifference(
  existing: BreakerConfig,
  requested: BreakerConfig,
): ConfigDifference | undefined {
  for (const option of SHARED_OPTION_NAMES) {
    const a: unknown = existing[option];
    const b: unknown = requested[option];
    const same =
      typeof a === 'object' && a !== null && option === 'window'
        ? JSON.stringify(a) === JSON.stringify(b)
        : Object.is(a, b);
    if (!same) return { option, existing: a, requested: b };
  }
  return undefined;
}
