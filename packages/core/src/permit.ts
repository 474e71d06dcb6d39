// What tryAcquire() hands out: a permit to run the protected call, or a rejection.

import type { CircuitState } from './state.js';
import type { CallOutcome } from './options.js';

/** How a permit was settled; internal. */
export const enum Settlement {
  Success = 0,
  Failure = 1,
  Ignored = 2,
  Timeout = 3,
}

/** The breaker side of a permit; internal. */
export interface PermitOwner {
  settle(permit: Permit, settlement: Settlement): void;
  classify(outcome: CallOutcome): boolean;
}

/**
 * Leave to run one protected call. Settle it exactly once: {@link Permit.success},
 * {@link Permit.failure}, {@link Permit.ignore} or {@link Permit.record}. Later settlements are no-ops.
 */
export class Permit {
  /** Discriminates a permit from a {@link Rejection}. */
  readonly admitted = true as const;
  /** Whether this call is a half-open probe. */
  readonly probe: boolean;
  /** The breaker generation the permit was issued in; outcomes from older generations are dropped. */
  readonly generation: number;
  /** Clock reading at admission (-1 when the breaker did not time the call). */
  readonly startedAt: number;
  /** Whether the permit has been settled (or timed out). */
  settled = false;
  /** Deadline queue links; internal. */
  deadline = 0;
  next: Permit | undefined = undefined;
  prev: Permit | undefined = undefined;
  /** Called once if the permit times out; set by `execute()`. */
  onTimeout: (() => void) | undefined = undefined;
  private readonly owner: PermitOwner;

  constructor(owner: PermitOwner, generation: number, startedAt: number, probe: boolean) {
    this.owner = owner;
    this.generation = generation;
    this.startedAt = startedAt;
    this.probe = probe;
  }

  /** The call succeeded. */
  success(): void {
    this.owner.settle(this, Settlement.Success);
  }

  /** The call failed. */
  failure(): void {
    this.owner.settle(this, Settlement.Failure);
  }

  /** The call ended with no verdict (e.g. the client went away): counted neither way, probe slot released. */
  ignore(): void {
    this.owner.settle(this, Settlement.Ignored);
  }

  /**
   * Settles by the breaker's `isFailure` rule. `durationMs` is filled in by the breaker.
   * @returns whether the outcome counted as a failure
   */
  record(outcome: Omit<CallOutcome, 'durationMs'> & { durationMs?: number }): boolean {
    const failed = this.owner.classify(outcome as CallOutcome);
    this.owner.settle(this, failed ? Settlement.Failure : Settlement.Success);
    return failed;
  }
}

/** The breaker refused the call. */
export class Rejection {
  /** Discriminates a rejection from a {@link Permit}. */
  readonly admitted = false as const;

  constructor(
    /** The breaker's name. */
    readonly breaker: string,
    /** Its state when it refused. */
    readonly state: CircuitState,
    /** Milliseconds until it will admit a probe (0 when a probe slot may free up at any moment). */
    readonly retryAfterMs: number,
  ) {}
}
