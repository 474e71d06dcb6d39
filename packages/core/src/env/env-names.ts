// The environment variable names of breaker options, and how a breaker name becomes part of one.

/** How one variable suffix maps to an option, and how its text becomes a value. */
export interface EnvOption {
  /** The variable's suffix, e.g. `FAILURE_THRESHOLD`. */
  readonly suffix: string;
  /** The option it sets (`window` for `WINDOW_SIZE` and `WINDOW_DURATION`). */
  readonly option: string;
  readonly kind: 'number' | 'mode' | 'window-size' | 'window-duration';
}

/** Every option that can come from the environment, longest suffix first (so it matches first). */
export const ENV_OPTIONS: readonly EnvOption[] = Object.freeze(
  (
    [
      ['FAILURE_THRESHOLD', 'failureThreshold', 'number'],
      ['FAILURE_RATE_THRESHOLD', 'failureRateThreshold', 'number'],
      ['SLOW_CALL_DURATION_THRESHOLD', 'slowCallDurationThreshold', 'number'],
      ['SLOW_CALL_RATE_THRESHOLD', 'slowCallRateThreshold', 'number'],
      ['WINDOW_SIZE', 'window', 'window-size'],
      ['WINDOW_DURATION', 'window', 'window-duration'],
      ['MINIMUM_CALLS', 'minimumCalls', 'number'],
      ['OPEN_DURATION', 'openDuration', 'number'],
      ['MAX_OPEN_DURATION', 'maxOpenDuration', 'number'],
      ['HALF_OPEN_MAX_CALLS', 'halfOpenMaxCalls', 'number'],
      ['SUCCESS_THRESHOLD', 'successThreshold', 'number'],
      ['TIMEOUT', 'timeout', 'number'],
      ['MODE', 'mode', 'mode'],
      ['OPEN_DURATION_JITTER', 'openDurationJitter', 'number'],
    ] as const
  )
    .map(([suffix, option, kind]) => ({ suffix, option, kind }))
    .sort((a, b) => b.suffix.length - a.suffix.length),
);

/**
 * A breaker name as it appears in a variable: camelCase split, every run of other characters
 * than letters and digits one `_`, no leading or trailing `_`, upper case
 * (`payments-api` → `PAYMENTS_API`, `GET /users/:id` → `GET_USERS_ID`, `userProfile` → `USER_PROFILE`).
 */
export function envName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}
