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
  classify(
    outcome: Omit<CallOutcome, 'durationMs'> & { durationMs?: number },
    permit?: Permit,
  ): boolean;
  classifyStatus(status: number, permit?: Permit): boolean;
}

/**
 * Leave to run one protected call. Settle it exactly once: {@link Permit.success},
 * {@link Permit.failure}, {@link Permit.ignore} or {@link Permit.record}. Later settlements are no-ops.
 */
export class Permit {
  /** Discriminates a permit from a {@link Rejection} (kept on the prototype: no per-call field). */
  declare readonly admitted: true;
  // Every field is declared and set in the constructor, none initialized as a class field: V8
  // (Node 20 to 24) does not inline a subclass's `super()` into a base constructor that has field
  // initializers, and a GuardedCall (a subclass) is built per admitted request.
  /** Whether this call is a half-open probe. */
  declare readonly probe: boolean;
  /** The breaker generation the permit was issued in; outcomes from older generations are dropped. */
  declare readonly generation: number;
  /** Clock reading at admission (-1 when the breaker did not time the call). */
  declare readonly startedAt: number;
  /** Whether the permit has been settled (or timed out). */
  declare settled: boolean;
  /** @internal Whether it also waits in a deadline queue (kept on the prototype: no per-call field). */
  declare readonly timed: boolean;
  /** @internal The breaker that issued it. */
  declare protected readonly owner: PermitOwner;

  constructor(owner: PermitOwner, generation: number, startedAt: number, probe: boolean) {
    this.owner = owner;
    this.generation = generation;
    this.startedAt = startedAt;
    this.probe = probe;
    this.settled = false;
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
   * Settles by the breaker's `isFailure` rule applied to an HTTP status alone (no outcome object
   * is built when `isFailure` is the default).
   * @returns whether the status counted as a failure
   */
  recordStatus(status: number): boolean {
    const failed = this.owner.classifyStatus(status, this);
    this.owner.settle(this, failed ? Settlement.Failure : Settlement.Success);
    return failed;
  }

  /**
   * Settles by the breaker's `isFailure` rule. `durationMs` is filled in by the breaker.
   * @returns whether the outcome counted as a failure
   */
  record(outcome: Omit<CallOutcome, 'durationMs'> & { durationMs?: number }): boolean {
    const failed = this.owner.classify(outcome, this);
    this.owner.settle(this, failed ? Settlement.Failure : Settlement.Success);
    return failed;
  }
}

Object.defineProperty(Permit.prototype, 'admitted', { value: true });
Object.defineProperty(Permit.prototype, 'timed', { value: false });

/**
 * How a breaker makes the permits it hands out: `Permit` itself, or a subclass that is the
 * caller's own per-call object (the Node request guard's call), one allocation instead of two.
 * Internal.
 */
export type PermitClass<P extends Permit> = new (
  owner: PermitOwner,
  generation: number,
  startedAt: number,
  probe: boolean,
) => P;

/**
 * What a permit of a breaker with `timeout` carries besides itself, as it waits in the breaker's
 * deadline queue. Internal.
 */
export interface Timed {
  /** Clock reading at which the call times out. */
  deadline: number;
  /** The deadline queue holding it (a live `timeout` change leaves older permits in the old queue). */
  queue: { remove(permit: TimedEntry): void } | undefined;
  /** Deadline queue links. */
  next: TimedEntry | undefined;
  prev: TimedEntry | undefined;
  /** Called once if the permit times out; set by `execute()`. */
  onTimeout: (() => void) | undefined;
}

/** A timed permit of any class. Internal. */
export type TimedEntry = Permit & Timed;

/**
 * The timed counterpart of a permit class: the same objects, also carrying what the breaker's
 * deadline queue needs (for breakers with `timeout`). Internal.
 */
export function timedClass<P extends Permit>(Base: PermitClass<P>): PermitClass<P & Timed> {
  const TimedKind = class extends (Base as PermitClass<Permit>) implements Timed {
    deadline = 0;
    queue: Timed['queue'] = undefined;
    next: TimedEntry | undefined = undefined;
    prev: TimedEntry | undefined = undefined;
    onTimeout: (() => void) | undefined = undefined;

    // Spelled out: the implicit one forwards `...args`, a varargs call per permit.
    constructor(owner: PermitOwner, generation: number, startedAt: number, probe: boolean) {
      super(owner, generation, startedAt, probe);
    }
  };
  Object.defineProperty(TimedKind.prototype, 'timed', { value: true });
  return TimedKind as unknown as PermitClass<P & Timed>;
}

/** A permit of a breaker with `timeout`: it also sits in the breaker's deadline queue. Internal. */
export const TimedPermit: PermitClass<TimedEntry> = timedClass(Permit);

/**
 * The breaker refused the call. A breaker hands out one Rejection per generation and refreshes its
 * `retryAfterMs` on each later refusal, so read it when you get it (it only ever becomes more exact).
 */
export class Rejection {
  /** Discriminates a rejection from a {@link Permit}. */
  readonly admitted = false as const;
  private remainingMs: number;

  constructor(
    /** The breaker's name. */
    readonly breaker: string,
    /** Its state when it refused. */
    readonly state: CircuitState,
    retryAfterMs: number,
  ) {
    this.remainingMs = retryAfterMs;
  }

  /**
   * Whole milliseconds (at least 1) until the breaker will admit a probe: while open, the time
   * left, rounded up; while half-open with every probe slot taken, at most 1000 (a slot frees
   * whenever a probe settles); while forced-open, the open duration as a hint.
   */
  get retryAfterMs(): number {
    return this.remainingMs;
  }

  /** @internal The breaker refused again in the same generation. */
  refresh(retryAfterMs: number): void {
    this.remainingMs = retryAfterMs;
  }
}
