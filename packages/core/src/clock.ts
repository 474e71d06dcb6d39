// The time source of every breaker: monotonic milliseconds and timers, injectable so tests are exact.

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/** A source of monotonic time in milliseconds, and of timers on the same time line. */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never goes backwards. */
  now(): number;
  /** Runs `callback` once, `ms` from now. The default clock's timers never keep the process alive. */
  setTimer(callback: () => void, ms: number): TimerHandle;
}

/** The default clock: `performance.now()` and unref'd `setTimeout`. */
export const monotonicClock: Clock = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, Math.max(1, Math.ceil(ms)));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface ManualTimer {
  due: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to, for tests and simulations; its timers fire during
 * {@link ManualClock.advance}, in due order.
 *
 * @example
 * const clock = new ManualClock();
 * const breaker = new CircuitBreaker({ clock, openDuration: 1000 });
 * clock.advance(1000);
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { due: this.current + Math.max(0, ms), callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, received ${ms}`);
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.timers) {
        if (!timer.cancelled && timer.due <= target && (next === undefined || timer.due < next.due))
          next = timer;
      }
      if (next === undefined) break;
      this.current = Math.max(this.current, next.due);
      next.cancelled = true;
      next.callback();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }
}
