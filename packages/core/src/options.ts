// The public options of a breaker: every field optional, with its default in the TSDoc.

import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { BreakerRegistry } from './registry.js';
import type { BreakerStore } from './store.js';

/** The sliding window the rate thresholds are judged on. */
export type WindowOptions =
  | {
      /** The last `size` calls. */
      type: 'count';
      /** Calls kept. @defaultValue 100 */
      size?: number;
    }
  | {
      /** The calls of the last `duration` ms. */
      type: 'time';
      /** Window length in ms. @defaultValue 60000 */
      duration?: number;
    };

/** What an admitted call ended with, as given to `isFailure`. */
export interface CallOutcome {
  /** The HTTP status sent, when there is one. */
  readonly status?: number | undefined;
  /** The error thrown or rejected, when there is one. */
  readonly error?: unknown;
  /** Time from admission to settlement, in ms (0 when the breaker does not time calls). */
  readonly durationMs: number;
}

/**
 * How a breaker acts on its state: `enforce` refuses calls while open; `shadow` runs the same state
 * machine and records everything, but admits every call and counts the ones it would have refused.
 */
export type BreakerMode = 'enforce' | 'shadow';

/** Options of one circuit breaker. */
export interface BreakerOptions {
  /**
   * The breaker's identity in its registry, events, metrics, the 503 body and Redis.
   * @defaultValue the route where an adapter knows it, else `breaker-N`
   */
  name?: string;
  /**
   * Consecutive failures that open the breaker. When a rate threshold is set and this is
   * not, only the rates decide.
   * @defaultValue 5
   */
  failureThreshold?: number;
  /** Percent (0–100] of failed calls in the window that opens the breaker. @defaultValue off */
  failureRateThreshold?: number;
  /** A call slower than this many ms counts as slow. @defaultValue off */
  slowCallDurationThreshold?: number;
  /** Percent (0–100] of slow calls in the window that opens the breaker. @defaultValue off */
  slowCallRateThreshold?: number;
  /** The sliding window the rates use. @defaultValue `{ type: 'count', size: 100 }` */
  window?: WindowOptions;
  /** Calls the window must hold before a rate may open the breaker. @defaultValue 10 */
  minimumCalls?: number;
  /** Milliseconds the breaker stays open before it admits a probe. @defaultValue 30000 */
  openDuration?: number;
  /** Cap for the open duration as it doubles after each failed probe round. @defaultValue `openDuration` */
  maxOpenDuration?: number;
  /** Concurrent probes admitted while half-open. @defaultValue 1 */
  halfOpenMaxCalls?: number;
  /** Probe successes that close the breaker. @defaultValue 1 */
  successThreshold?: number;
  /** Milliseconds after which a call still running counts as a failure. @defaultValue off */
  timeout?: number;
  /** Decides whether an outcome is a failure. @defaultValue status ≥ 500, or any error */
  isFailure?: (outcome: CallOutcome) => boolean;
  /** The time source. @defaultValue `performance.now()` */
  clock?: Clock;
  /** The registry the breaker joins, or `false` for none. @defaultValue the process-wide default registry */
  registry?: BreakerRegistry | false;
  /** Where breaker state is shared. @defaultValue in-memory (nothing shared) */
  store?: BreakerStore;
  /** Where warnings go. @defaultValue `console` */
  logger?: Logger;
  /**
   * `'shadow'` runs the state machine and records everything, but admits every call: what it would
   * have refused is counted (`totals.wouldReject`, a `reject` event with `shadow: true`).
   * @defaultValue `'enforce'`
   */
  mode?: BreakerMode;
  /**
   * A fraction in [0, 1): each open round's duration is multiplied by a factor drawn once per
   * round from [1 - jitter, 1 + jitter), never beyond `maxOpenDuration`, so that many breakers and
   * replicas do not probe in lockstep. @defaultValue 0
   */
  openDurationJitter?: number;
  /** The random source jitter draws from (values in [0, 1)); tests pass their own. @defaultValue `Math.random` */
  random?: () => number;
}
