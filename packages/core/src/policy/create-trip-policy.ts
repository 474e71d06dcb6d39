// Builds the trip policy (and its window) a configuration asks for.

import type { BreakerConfig } from '../configuration.js';
import { CountWindow } from '../window/count-window.js';
import type { SlidingWindow } from '../window/sliding-window.js';
import { TimeWindow } from '../window/time-window.js';
import { AnyOf } from './any-of.js';
import { ConsecutiveFailures } from './consecutive-failures.js';
import { RateThreshold } from './rate-threshold.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * The policy for `config`, and the window its rates use. `window`, when given, is kept (a live
 * threshold change that leaves the window option alone keeps its calls).
 */
export function createTripPolicy(
  config: BreakerConfig,
  window?: SlidingWindow,
): {
  policy: TripPolicy;
  window: SlidingWindow;
} {
  // The window is kept even without a rate threshold: snapshots and metrics report its rates.
  window ??=
    config.window.type === 'count'
      ? new CountWindow(config.window.size)
      : new TimeWindow(config.window.duration);
  const rates = new RateThreshold(
    window,
    config.minimumCalls,
    config.failureRateThreshold,
    config.slowCallRateThreshold,
  );
  const policy =
    config.failureThreshold === undefined
      ? rates
      : new AnyOf(new ConsecutiveFailures(config.failureThreshold), rates);
  return { policy, window };
}
