// The client's time source: wall-clock milliseconds and cancellable timers, injectable for exact tests.

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Where the client reads the time and schedules its retry waits. `now()` is in epoch milliseconds
 * (HTTP-dates are compared against it when a response has no usable `Date` header). Structurally
 * compatible with `@breakwater/core`'s `ManualClock`, so tests can move time by hand.
 */
export interface ClientClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once, `ms` from now. */
  setTimer(callback: () => void, ms: number): TimerHandle;
}

/**
 * The default clock: `Date.now()` and `setTimeout`. The client keeps no background timers at all (open
 * windows and probe leases are checked lazily on the next call); its only timer is a retry wait that
 * a caller is awaiting, and that one is deliberately not unref'd: like the socket of a request in
 * flight, it must keep the process alive, or a script awaiting a retried call would exit mid-wait.
 * An abort clears it at once.
 */
export const systemClock: ClientClock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, Math.max(0, Math.ceil(ms)));
    return { cancel: () => clearTimeout(timer) };
  },
};
