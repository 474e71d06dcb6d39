// Errors thrown by `execute()`, recognised by a marker so that two copies of the package agree.

import type { CircuitState } from './state.js';

const MARKER: unique symbol = Symbol.for('breakwater.error') as never;

/** The error codes Breakwater's own errors carry in `code`. */
export type BreakwaterErrorCode = 'ERR_BREAKWATER_OPEN' | 'ERR_BREAKWATER_TIMEOUT';

function mark(error: Error): void {
  Object.defineProperty(error, MARKER, { value: true });
}

/** Thrown by `execute()` when the breaker rejects the call without running it. */
export class BrokenCircuitError extends Error {
  readonly code = 'ERR_BREAKWATER_OPEN' as const;
  /** The breaker that rejected the call. */
  readonly breaker: string;
  /** Its state when it rejected. */
  readonly state: CircuitState;
  /** Milliseconds until the breaker will admit a probe. */
  readonly retryAfterMs: number;
  constructor(breaker: string, state: CircuitState, retryAfterMs: number) {
    super(`Circuit breaker "${breaker}" is ${state}; retry in ${Math.ceil(retryAfterMs)} ms`);
    this.name = 'BrokenCircuitError';
    this.breaker = breaker;
    this.state = state;
    this.retryAfterMs = retryAfterMs;
    mark(this);
  }
}

/** Thrown by `execute()` when the call outlived the breaker's `timeout`. */
export class CallTimeoutError extends Error {
  readonly code = 'ERR_BREAKWATER_TIMEOUT' as const;
  /** The breaker whose timeout expired. */
  readonly breaker: string;
  /** The timeout, in ms. */
  readonly timeoutMs: number;
  constructor(breaker: string, timeoutMs: number) {
    super(`Call through circuit breaker "${breaker}" timed out after ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
    this.breaker = breaker;
    this.timeoutMs = timeoutMs;
    mark(this);
  }
}

function hasCode(error: unknown, code: BreakwaterErrorCode): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[MARKER] === true &&
    (error as { code?: unknown }).code === code
  );
}

/** Whether `error` is a {@link BrokenCircuitError}, from this or any other copy of the package. */
export function isBrokenCircuitError(error: unknown): error is BrokenCircuitError {
  return hasCode(error, 'ERR_BREAKWATER_OPEN');
}

/** Whether `error` is a {@link CallTimeoutError}, from this or any other copy of the package. */
export function isCallTimeoutError(error: unknown): error is CallTimeoutError {
  return hasCode(error, 'ERR_BREAKWATER_TIMEOUT');
}
