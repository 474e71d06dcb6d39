// Every (from, to) transition a breaker can make, so counters can start at 0 before the first one.

import type { CircuitState } from '@breakwater/core';

/** One kind of transition. */
export interface TransitionPair {
  readonly from: CircuitState;
  readonly to: CircuitState;
}

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'forced-open', 'disabled'];

/**
 * The 19 transitions core's state machine can make: a trip, a remote open or its extension
 * (`→ open` from closed, open, half-open), the open duration elapsing (`open → half-open`), and the
 * resets, forced opens and disables, which start from any state (`reset()` while closed is
 * `closed → closed`). Pairs outside this list are still counted, from their first occurrence.
 */
export const TRANSITION_PAIRS: readonly TransitionPair[] = Object.freeze([
  ...(['closed', 'open', 'half-open'] as const).map((from) => ({ from, to: 'open' as const })),
  { from: 'open', to: 'half-open' },
  ...(['closed', 'forced-open', 'disabled'] as const).flatMap((to) =>
    STATES.map((from) => ({ from, to })),
  ),
] satisfies TransitionPair[]);

/** The map key of a pair. */
export function pairKey(from: CircuitState, to: CircuitState): string {
  return `${from}>${to}`;
}
