// Timeouts for in-flight permits: one timer per breaker with calls in flight, O(1) per call.

import type { Clock, TimerHandle } from './clock.js';
import type { TimedEntry } from './permit.js';

/**
 * Holds in-flight permits in admission order. With one timeout per breaker, admission order is
 * deadline order, so only the head needs a timer.
 */
export class DeadlineQueue {
  private head: TimedEntry | undefined;
  private tail: TimedEntry | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly timeout: number,
    private readonly clock: Clock,
    private readonly expire: (permit: TimedEntry) => void,
  ) {}

  /** Starts the clock on `permit`, admitted at `startedAt`. */
  add(permit: TimedEntry, startedAt: number): void {
    permit.deadline = startedAt + this.timeout;
    permit.queue = this;
    permit.prev = this.tail;
    permit.next = undefined;
    if (this.tail === undefined) this.head = permit;
    else this.tail.next = permit;
    this.tail = permit;
    if (this.timer === undefined) this.arm(this.timeout);
  }

  /** Stops the clock on `permit` (it settled). */
  remove(permit: TimedEntry): void {
    if (permit.queue !== this) return;
    permit.queue = undefined;
    const { prev, next } = permit;
    if (prev === undefined) {
      this.head = next;
    } else {
      prev.next = next;
    }
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    permit.prev = permit.next = undefined;
  }

  /** Cancels the timer and forgets every permit. */
  clear(): void {
    for (let p = this.head; p !== undefined; p = p.next) p.queue = undefined;
    this.timer?.cancel();
    this.timer = undefined;
    this.head = this.tail = undefined;
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (this.head !== undefined && this.head.deadline <= now) {
      const permit = this.head;
      this.remove(permit);
      this.expire(permit);
    }
    if (this.head !== undefined) this.arm(this.head.deadline - now);
  }

  private arm(delay: number): void {
    this.timer = this.clock.setTimer(() => this.sweep(), delay);
  }
}
