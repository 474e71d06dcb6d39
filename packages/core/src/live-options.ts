// Live reconfiguration: which options may change on a running breaker, and how a change is merged.

import {
  BREAKER_OPTION_NAMES,
  LIVE_OPTION_NAMES,
  parseBreakerOptions,
  withConfig,
  type BreakerConfig,
} from './configuration.js';
import type { BreakerOptions } from './options.js';
import { invalid, optionNames } from './validate.js';

/** Options that `null` turns off in a live change. */
const NULLABLE: ReadonlySet<string> = new Set([
  'timeout',
  'failureRateThreshold',
  'slowCallRateThreshold',
  'slowCallDurationThreshold',
]);

type LiveOptionValues = Pick<
  BreakerOptions,
  | 'failureThreshold'
  | 'failureRateThreshold'
  | 'slowCallDurationThreshold'
  | 'slowCallRateThreshold'
  | 'window'
  | 'minimumCalls'
  | 'openDuration'
  | 'maxOpenDuration'
  | 'halfOpenMaxCalls'
  | 'successThreshold'
  | 'timeout'
  | 'isFailure'
  | 'logger'
  | 'mode'
  | 'openDurationJitter'
  | 'random'
>;

/**
 * The options a live breaker's `configure()` may change; `undefined` leaves one as it is, `null`
 * turns off `timeout`, `failureRateThreshold`, `slowCallRateThreshold` and
 * `slowCallDurationThreshold`. `name`, `registry`, `store` and `clock` cannot change live.
 */
export type LiveOptions = {
  [K in keyof LiveOptionValues]?: K extends
    'timeout' | 'failureRateThreshold' | 'slowCallRateThreshold' | 'slowCallDurationThreshold'
    ? LiveOptionValues[K] | null
    : LiveOptionValues[K];
};

/**
 * `config` with `changes` applied, validated exactly as at construction (the current options
 * merged with the changes, parsed again). Throws a `TypeError` naming an unknown option, an option
 * that cannot change live, or an invalid value. `given` holds the changes as made (for events;
 * functions show as `"function"`). A `maxOpenDuration` equal to `openDuration` (its default)
 * follows a new `openDuration` unless the change sets it too.
 */
export function reconfigured(
  config: BreakerConfig,
  changes: LiveOptions,
): { config: BreakerConfig; given: Record<string, unknown> } {
  if (typeof changes !== 'object' || changes === null) {
    invalid('options', changes, 'an object of options to change');
  }
  const given: Record<string, unknown> = {};
  for (const option of optionNames(changes)) {
    if (!BREAKER_OPTION_NAMES.has(option)) {
      throw new TypeError(`Breakwater: unknown option "${option}" in configure()`);
    }
    if (!LIVE_OPTION_NAMES.has(option)) {
      throw new TypeError(
        `Breakwater: option "${option}" cannot change on a live breaker (only ${[...LIVE_OPTION_NAMES].join(', ')})`,
      );
    }
    const value: unknown = (changes as Record<string, unknown>)[option];
    if (value === null && !NULLABLE.has(option)) invalid(option, value, 'not null');
    if (value !== undefined) given[option] = value;
  }
  const merged: Record<string, unknown> = { ...config, registry: config.registry ?? false };
  if (
    'openDuration' in given &&
    !('maxOpenDuration' in given) &&
    config.maxOpenDuration === config.openDuration
  ) {
    merged.maxOpenDuration = undefined;
  }
  for (const [option, value] of Object.entries(given)) merged[option] = value ?? undefined;
  const parsed = parseBreakerOptions(merged as BreakerOptions);
  const shown: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(given)) {
    shown[option] = typeof value === 'function' ? 'function' : value;
  }
  return {
    config: withConfig(parsed, { name: config.name, registry: config.registry }),
    given: shown,
  };
}
