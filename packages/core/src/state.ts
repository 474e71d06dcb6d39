// The states a breaker can be in, and how they show on the wire.

/**
 * A breaker's state. `closed`, `open` and `half-open` are the automatic states;
 * `forced-open` and `disabled` are set by an operator through the core API.
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'forced-open' | 'disabled';

/** The state as the `X-Circuit-Breaker-State` header tells it. */
export type WireState = 'closed' | 'open' | 'half-open';

/** Maps a state to its header value: `forced-open` shows as `open`, `disabled` as `closed`. */
export function wireState(state: CircuitState): WireState {
  if (state === 'forced-open') return 'open';
  if (state === 'disabled') return 'closed';
  return state;
}

/** Why a breaker changed state. */
export type TransitionReason =
  | 'failure-threshold'
  | 'failure-rate'
  | 'slow-call-rate'
  | 'open-duration-elapsed'
  | 'probe-success'
  | 'probe-failure'
  | 'probe-timeout'
  | 'forced-open'
  | 'reset'
  | 'disabled'
  | 'remote';

/** The reasons a trip policy may give for opening a closed breaker. */
export type TripReason = 'failure-threshold' | 'failure-rate' | 'slow-call-rate';
