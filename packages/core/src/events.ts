// The payloads of the events every breaker emits.

import type { CircuitState, TransitionReason } from './state.js';

/** A breaker changed state. */
export interface StateChangeEvent {
  /** The breaker's name (for keyed breakers, `<name>:<key>`). */
  readonly breaker: string;
  /** The key of a keyed breaker, else `undefined`. */
  readonly key: string | undefined;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: TransitionReason;
  /** The generation the breaker entered. */
  readonly generation: number;
  /** Wall-clock time of the transition (ms since the epoch). */
  readonly at: number;
  /** When the breaker entered `open`: wall-clock time at which it will admit a probe; else `undefined`. */
  readonly reopenAt: number | undefined;
}

/** A request was rejected without reaching the protected code. */
export interface RejectEvent {
  readonly breaker: string;
  readonly key: string | undefined;
  readonly state: CircuitState;
  /** Milliseconds until a probe will be admitted. */
  readonly retryAfterMs: number;
  /**
   * `true` when a breaker in `shadow` mode admitted the call instead (a would-reject: counted in
   * `totals.wouldReject`, not in `totals.rejected`).
   */
  readonly shadow: boolean;
}

/** A half-open breaker admitted a probe. */
export interface ProbeEvent {
  readonly breaker: string;
  readonly key: string | undefined;
  readonly generation: number;
  /** Probes in flight, this one included. */
  readonly inFlight: number;
}

/** How an admitted call ended. */
export type CallResult = 'success' | 'failure' | 'timeout' | 'ignored';

/** An admitted call settled. */
export interface CallEvent {
  readonly breaker: string;
  readonly key: string | undefined;
  readonly result: CallResult;
  /** Duration from admission to settlement, in ms. */
  readonly durationMs: number;
  /** Whether the call was slower than `slowCallDurationThreshold`. */
  readonly slow: boolean;
  /** Whether the call was a half-open probe. */
  readonly probe: boolean;
  /** Whether the outcome still counted (it is dropped when the breaker changed generation meanwhile). */
  readonly counted: boolean;
}

/** A cached response was served or stored (emitted by the response cache). */
export interface CacheEvent {
  readonly breaker: string;
  readonly key: string | undefined;
  /** What the cache did (`invalidate`: a successful unsafe request removed a stored resource). */
  readonly action: 'hit' | 'store' | 'miss' | 'skip' | 'invalidate';
  /** Why, e.g. `circuit-open`, `stale-if-error`, `set-cookie`; for `invalidate`, the method. */
  readonly detail: string;
}

/** What an operator did to a breaker. */
export type AdminAction = 'force-open' | 'reset' | 'disable' | 'shadow' | 'enforce' | 'configure';

/** An operator changed a breaker: its state, its mode or its options. */
export interface AdminEvent {
  readonly breaker: string;
  readonly key: string | undefined;
  readonly action: AdminAction;
  /** For `configure`: the options changed, as given (functions show as `"function"`). */
  readonly changes: Readonly<Record<string, unknown>> | undefined;
  /** Who did it, when the caller said (the admin API passes what `authorize` returned). */
  readonly by: string | undefined;
  /** Wall-clock time (ms since the epoch). */
  readonly at: number;
}

/** Every event a breaker emits, by name. */
export interface BreakerEventMap {
  stateChange: StateChangeEvent;
  reject: RejectEvent;
  probe: ProbeEvent;
  call: CallEvent;
  cache: CacheEvent;
  admin: AdminEvent;
}
