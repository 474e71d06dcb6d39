// The breaker: a lazy, timer-free state machine with a two-step permit API and execute() on top.

import {
  configSignature,
  parseBreakerOptions,
  withConfig,
  type BreakerConfig,
} from './configuration.js';
import { reconfigured, type LiveOptions } from './live-options.js';
import { DeadlineQueue } from './deadline-queue.js';
import { diagnostics } from './diagnostics.js';
import { BrokenCircuitError, CallTimeoutError } from './errors.js';
import { BreakerEvents } from './breaker-events.js';
import { defaultIsFailure } from './http/classify.js';
import { warnOnce } from './logger.js';
import type { AdminAction, BreakerEventMap, CallResult } from './events.js';
import type { BreakerMode, BreakerOptions, CallOutcome } from './options.js';
import {
  Permit,
  Rejection,
  Settlement,
  TimedPermit,
  type PermitClass,
  type Timed,
  type TimedEntry,
} from './permit.js';
import { createTripPolicy } from './policy/create-trip-policy.js';
import type { TripPolicy } from './policy/trip-policy.js';
import { memoryStore, nextBreakerName, type BreakerRegistry } from './registry.js';
import type { BreakerSnapshot } from './snapshot.js';
import type { CircuitState, TransitionReason } from './state.js';
import type { BreakerStore } from './store.js';
import { invalid } from './validate.js';
import type { SlidingWindow } from './window/sliding-window.js';

const RESULTS: readonly CallResult[] = ['success', 'failure', 'ignored', 'timeout'];

/** A breaker's state as another process reported it, for {@link CircuitBreaker.applyRemoteState}. */
export interface RemoteState {
  readonly state: CircuitState;
  /** For `open`: milliseconds from now until a probe may be admitted. */
  readonly retryAfterMs?: number;
}

/** Who asked for an operator action, for the `admin` event (the admin API passes its principal). */
export interface AdminContext {
  /** Who did it (e.g. what `authorize` returned). */
  readonly by?: string | undefined;
}

/** The last transition a breaker made. */
export interface LastTransition {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: TransitionReason;
  /** Wall-clock time (ms since the epoch). */
  readonly at: number;
}

/**
 * A circuit breaker. Use {@link CircuitBreaker.tryAcquire} and settle the permit once, or
 * {@link CircuitBreaker.execute} around a function.
 *
 * @example
 * const breaker = new CircuitBreaker({ name: 'profiles', failureThreshold: 3 });
 * const profile = await breaker.execute(() => fetchProfile(id));
 */
export class CircuitBreaker extends BreakerEvents {
  /** The breaker's name. */
  readonly name: string;
  /** For a keyed breaker, its key. */
  readonly key: string | undefined;
  /** For a keyed breaker, the name of its family (the {@link KeyedBreakers} it belongs to). */
  readonly family: string | undefined;
  /** The parsed options (replaced as a whole by {@link CircuitBreaker.configure}). */
  readonly config: BreakerConfig;
  /** The registry it belongs to, if any. */
  readonly registry: BreakerRegistry | undefined;
  /** Where its state is shared. */
  readonly store: BreakerStore;

  private current: CircuitState = 'closed';
  private gen = 0;
  /** Clock reading at which an open breaker admits a probe. */
  private openUntil = 0;
  /** Failed probe rounds since the breaker last closed: the open duration's doubling exponent. */
  private backoff = 0;
  private probes: Permit[] = [];
  private probeSuccesses = 0;
  private inFlightCalls = 0;
  private policy: TripPolicy;
  private window: SlidingWindow | undefined;
  private deadlines: DeadlineQueue | undefined;
  /** Deadline queues a live `timeout` change replaced: their permits still time out there. */
  private retiredDeadlines: DeadlineQueue[] | undefined;
  /** Whether any permit may be timed (a `timeout` is or was set). */
  private everTimed: boolean;
  /** `mode: 'shadow'`: calls the breaker would refuse are admitted and counted instead. */
  private shadow: boolean;
  /** Whether permits read the clock (slow calls, timeouts, time windows, or someone listens). */
  private timed: boolean;
  private alwaysTimed: boolean;
  private timeWindow: boolean;
  private last: LastTransition | undefined;
  private lastRejection: Rejection | undefined;
  private lastRejectionGen = -1;
  private readonly counts = {
    success: 0,
    failure: 0,
    ignored: 0,
    timeout: 0,
    rejected: 0,
    wouldReject: 0,
    slow: 0,
  };
  private closed = false;

  /**
   * @param options - the options, or a configuration {@link parseBreakerOptions} made (not parsed again)
   * @param member - for a breaker of a keyed family: its name, key and family
   */
  constructor(
    options: BreakerOptions | BreakerConfig = {},
    member?: { readonly name: string; readonly key: string; readonly family: string },
  ) {
    super();
    this.config = parseBreakerOptions(options);
    this.name = member?.name ?? this.config.name ?? nextBreakerName();
    this.key = member?.key;
    this.family = member?.family;
    const { policy, window } = createTripPolicy(this.config);
    this.policy = policy;
    this.window = window;
    const timeout = this.config.timeout;
    this.deadlines =
      timeout === undefined
        ? undefined
        : new DeadlineQueue(timeout, this.config.clock, (p) => this.settle(p, Settlement.Timeout));
    // Timed calls read the clock at admission; a time window alone reads it only at settlement.
    this.alwaysTimed =
      this.config.slowCallDurationThreshold !== undefined ||
      this.config.isFailure !== defaultIsFailure;
    this.timeWindow = this.config.window.type === 'time';
    this.timed = this.alwaysTimed;
    this.everTimed = timeout !== undefined;
    this.shadow = this.config.mode === 'shadow';
    this.registry = this.config.registry;
    this.registry?.add(this);
    this.updateTiming(); // a registry-wide call listener may already be listening
    this.store = this.config.store;
    this.store.attach(this);
  }

  /**
   * @internal A breaker that admits every call and records nothing (`disabled`, with no event),
   * outside any registry and store: what a keyed family hands a key it cannot keep a breaker for.
   */
  static passThrough(config: BreakerConfig, name: string, key: string): CircuitBreaker {
    const breaker = new CircuitBreaker(
      withConfig(config, { registry: undefined, store: memoryStore }),
      {
        name,
        key,
        family: config.name ?? name,
      },
    );
    breaker.current = 'disabled';
    return breaker;
  }

  /** The current state, after any transition that time alone makes due. */
  get state(): CircuitState {
    if (this.current === 'open' || this.current === 'half-open')
      this.refresh(this.config.clock.now());
    return this.current;
  }

  /** The generation: bumped on every transition. */
  get generation(): number {
    return this.gen;
  }

  /** Calls admitted and not yet settled. */
  get inFlight(): number {
    return this.inFlightCalls;
  }

  /**
   * Whole milliseconds (rounded up) until an open breaker admits a probe; 0 when it admits calls
   * now. For `forced-open`: the open duration, as a hint (only a reset ends a forced open).
   * The same rule as {@link Rejection.retryAfterMs} and the snapshot's `retryAfterMs`.
   */
  get retryAfterMs(): number {
    const state = this.state;
    if (state === 'open') return this.remainingOpenMs(this.config.clock.now());
    if (state === 'forced-open') return Math.ceil(this.config.openDuration);
    return 0;
  }

  /** Whole ms (rounded up) from `now` until the open round ends, at least 0. */
  private remainingOpenMs(now: number): number {
    return Math.max(0, Math.ceil(this.openUntil - now));
  }

  /** A configuration signature: two breakers may share a name only when theirs agree. */
  get signature(): string {
    return configSignature(this.config);
  }

  /**
   * Asks to run one call. Returns a {@link Permit} to settle once the call ends, or a
   * {@link Rejection} saying why not and for how long. Never throws, never allocates an Error.
   */
  tryAcquire(): Permit | Rejection {
    if (this.current === 'closed') {
      this.inFlightCalls++;
      if (this.deadlines !== undefined) return this.timedPermit(TimedPermit, false);
      // diagnostics_channel cannot tell us when an APM tool subscribes, so ask it here
      if (!this.timed && !diagnostics.call.hasSubscribers) {
        return new Permit(this, this.gen, -1, false);
      }
      return new Permit(this, this.gen, this.config.clock.now(), false);
    }
    return this.acquireSlow(Permit, TimedPermit);
  }

  /**
   * @internal {@link CircuitBreaker.tryAcquire} for a caller whose per-call object is itself the
   * permit: made by `Kind`, or by `TimedKind` while calls are timed. The closed path is written
   * twice so that each `new` site sees one class.
   */
  tryAcquireAs<P extends Permit>(
    Kind: PermitClass<P>,
    TimedKind: PermitClass<P & Timed>,
  ): P | Rejection {
    if (this.current === 'closed') {
      this.inFlightCalls++;
      if (this.deadlines !== undefined) return this.timedPermit(TimedKind, false);
      if (!this.timed && !diagnostics.call.hasSubscribers) {
        return new Kind(this, this.gen, -1, false);
      }
      return new Kind(this, this.gen, this.config.clock.now(), false);
    }
    return this.acquireSlow(Kind, TimedKind);
  }

  /** A permit that also waits in the deadline queue (breakers with `timeout`). */
  private timedPermit<P extends TimedEntry>(Kind: PermitClass<P>, probe: boolean): P {
    const now = this.config.clock.now();
    const permit = new Kind(this, this.gen, now, probe);
    this.deadlines!.add(permit, now);
    return permit;
  }

  private acquireSlow<P extends Permit>(
    Kind: PermitClass<P>,
    TimedKind: PermitClass<P & Timed>,
  ): P | Rejection {
    const state = this.current;
    if (state === 'disabled') return new Kind(this, -1, 0, false);
    if (state === 'forced-open')
      return this.reject(Math.ceil(this.config.openDuration), Kind, TimedKind);
    const now = this.config.clock.now();
    this.refresh(now);
    if (this.current === 'open')
      return this.reject(Math.ceil(this.openUntil - now), Kind, TimedKind); // whole ms: a small integer, never a boxed double
    if (this.current === 'closed') return this.tryAcquireAs(Kind, TimedKind);
    if (this.probes.length >= this.config.halfOpenMaxCalls) {
      // Every slot is taken: a slot frees when a probe settles (any moment) or expires. Ask the
      // client back within a second at most, in whole ms, at least 1 (never "retry in 0 ms").
      let soonest = Infinity;
      for (const probe of this.probes)
        soonest = Math.min(soonest, probe.startedAt + this.config.openDuration - now);
      return this.reject(Math.max(1, Math.ceil(Math.min(1000, soonest))), Kind, TimedKind);
    }
    const hold = this.store.probeHoldMs?.(this) ?? 0; // a shared store may hold probes fleet-wide
    if (hold > 0) return this.reject(Math.ceil(hold), Kind, TimedKind);
    this.inFlightCalls++;
    const permit =
      this.deadlines !== undefined
        ? this.timedPermit(TimedKind, true)
        : new Kind(this, this.gen, now, true);
    this.probes.push(permit);
    if (
      this.probeEvents.active ||
      this.registry?.probeEvents.active ||
      diagnostics.probe.hasSubscribers
    ) {
      this.publish('probe', {
        breaker: this.name,
        key: this.key,
        generation: this.gen,
        inFlight: this.probes.length,
      });
    }
    return permit;
  }

  /** Refuses a call, or in `shadow` mode admits it as a would-reject. */
  private reject<P extends Permit>(
    retryAfterMs: number,
    Kind: PermitClass<P>,
    TimedKind: PermitClass<P & Timed>,
  ): P | Rejection {
    if (this.shadow) return this.wouldReject(retryAfterMs, Kind, TimedKind);
    this.counts.rejected++;
    // One Rejection per generation, refreshed in place: the open path allocates nothing.
    let rejection = this.lastRejection;
    if (rejection !== undefined && this.lastRejectionGen === this.gen) {
      rejection.refresh(retryAfterMs);
    } else {
      rejection = this.lastRejection = new Rejection(this.name, this.current, retryAfterMs);
      this.lastRejectionGen = this.gen;
    }
    this.announceReject(retryAfterMs, false);
    return rejection;
  }

  /**
   * Shadow mode: admits a call `enforce` would refuse. It gets a plain (non-probe) permit of the
   * current generation: its outcome is counted in the totals and call events like any call, and,
   * like any outcome that arrives while the breaker is not closed, moves nothing (the probes a
   * shadow breaker admits exactly as `enforce` would are what close it again).
   */
  private wouldReject<P extends Permit>(
    retryAfterMs: number,
    Kind: PermitClass<P>,
    TimedKind: PermitClass<P & Timed>,
  ): P {
    this.counts.wouldReject++;
    this.announceReject(retryAfterMs, true);
    this.inFlightCalls++;
    if (this.deadlines !== undefined) return this.timedPermit(TimedKind, false);
    return new Kind(this, this.gen, this.config.clock.now(), false);
  }

  /** Publishes a `reject` event (a refusal, or a shadow breaker's would-reject) when anyone listens. */
  private announceReject(retryAfterMs: number, shadow: boolean): void {
    if (
      this.rejectEvents.active ||
      this.registry?.rejectEvents.active ||
      diagnostics.reject.hasSubscribers
    ) {
      this.publish('reject', {
        breaker: this.name,
        key: this.key,
        state: this.current,
        retryAfterMs,
        shadow,
      });
    }
  }

  /** Applies the transitions that time alone makes due: open → half-open, hung probes → failed. */
  private refresh(now: number): void {
    if (this.current === 'open' && now >= this.openUntil) {
      this.transition('half-open', 'open-duration-elapsed', now);
    }
    if (this.current === 'half-open' && this.probes.length > 0) {
      for (const probe of this.probes) {
        if (now - probe.startedAt >= this.config.openDuration) {
          this.settle(probe, Settlement.Timeout);
          return;
        }
      }
    }
  }

  /** @internal Classifies a bare status: without a custom `isFailure`, a 5xx is a failure. */
  classifyStatus(status: number, permit?: Permit): boolean {
    if (this.config.isFailure === defaultIsFailure) return status >= 500;
    return this.classify({ status }, permit);
  }

  /**
   * @internal Classifies an outcome with `isFailure`. One policy everywhere (adapters and
   * `execute()`): an `isFailure` that throws is reported once and the default rule decides.
   */
  classify(
    outcome: Omit<CallOutcome, 'durationMs'> & { durationMs?: number },
    permit?: Permit,
  ): boolean {
    const durationMs =
      outcome.durationMs ??
      (permit !== undefined && permit.startedAt >= 0
        ? this.config.clock.now() - permit.startedAt
        : 0);
    const full: CallOutcome = { status: outcome.status, error: outcome.error, durationMs };
    try {
      return this.config.isFailure(full) === true;
    } catch (error) {
      warnOnce(
        this.config.logger,
        'ERR_BREAKWATER_IS_FAILURE_THREW',
        `isFailure threw for breaker "${this.name}" (${String(error)}); the default rule (a 5xx, or an error without a 4xx status) decides`,
      );
      return defaultIsFailure(full);
    }
  }

  /**
   * @internal A response whose head was judged already was then broken off by the server: one more
   * failure, counted against the generation the call was admitted in.
   */
  recordBrokenOff(permit: Permit): void {
    if (permit.generation === -1) return;
    this.counts.failure++;
    if (permit.generation !== this.gen || this.current !== 'closed') return;
    const reason = this.policy.record(this.config.clock.now(), true, false);
    if (reason !== undefined) {
      this.backoff = 0;
      this.transition('open', reason, this.config.clock.now());
    }
  }

  /** @internal Settles a permit; the permit's methods call this. */
  settle(permit: Permit, settlement: Settlement): void {
    if (permit.settled) return;
    permit.settled = true;
    if (permit.generation === -1) return; // issued while disabled: records nothing
    this.inFlightCalls--;
    if (this.everTimed && permit.timed) {
      const timed = permit as TimedEntry;
      if (settlement === Settlement.Timeout) timed.onTimeout?.();
      timed.queue?.remove(timed);
    }
    // The clock is read only when something needs it: a timed call's duration, or a time window.
    let now = 0;
    let durationMs = 0;
    if (permit.startedAt >= 0) {
      now = this.config.clock.now();
      durationMs = now - permit.startedAt;
    } else if (this.timeWindow) {
      now = this.config.clock.now();
    }
    const threshold = this.config.slowCallDurationThreshold;
    const slow =
      threshold !== undefined && settlement !== Settlement.Ignored && durationMs > threshold;
    const counted = permit.generation === this.gen && settlement !== Settlement.Ignored;
    this.count(settlement, slow);
    if (
      this.callEvents.active ||
      this.registry?.callEvents.active ||
      diagnostics.call.hasSubscribers
    ) {
      this.publish('call', {
        breaker: this.name,
        key: this.key,
        result: RESULTS[settlement]!,
        durationMs,
        slow,
        probe: permit.probe,
        counted,
      });
    }
    if (permit.generation !== this.gen) return;
    const failed = settlement === Settlement.Failure || settlement === Settlement.Timeout;
    if (permit.probe) {
      const index = this.probes.indexOf(permit);
      if (index !== -1) this.probes.splice(index, 1);
      if (settlement === Settlement.Ignored) return;
      if (failed) {
        this.backoff++;
        this.transition(
          'open',
          settlement === Settlement.Timeout ? 'probe-timeout' : 'probe-failure',
          now,
        );
      } else if (++this.probeSuccesses >= this.config.successThreshold) {
        this.transition('closed', 'probe-success', now);
      }
      return;
    }
    if (settlement === Settlement.Ignored || this.current !== 'closed') return;
    const reason = this.policy.record(now, failed, slow);
    if (reason !== undefined) {
      this.backoff = 0;
      this.transition('open', reason, now > 0 ? now : this.config.clock.now());
    }
  }

  private count(settlement: Settlement, slow: boolean): void {
    const counts = this.counts;
    if (settlement === Settlement.Success) counts.success++;
    else if (settlement === Settlement.Failure) counts.failure++;
    else if (settlement === Settlement.Ignored) counts.ignored++;
    else counts.timeout++;
    if (slow) counts.slow++;
  }

  /** Enters `to`; an `open` lasts the backed-off open duration unless `openUntil` says otherwise. */
  private transition(
    to: CircuitState,
    reason: TransitionReason,
    now: number,
    openUntil?: number,
  ): void {
    const from = this.current;
    this.current = to;
    this.gen++;
    this.probes = [];
    this.probeSuccesses = 0;
    if (to === 'open') this.openUntil = openUntil ?? now + this.openRoundMs();
    if (to === 'closed') {
      this.backoff = 0;
      this.policy.reset();
    }
    const at = Date.now();
    const reopenAt = to === 'open' ? at + Math.ceil(this.openUntil - now) : undefined;
    this.last = { from, to, reason, at };
    if (
      this.stateChangeEvents.active ||
      this.registry?.stateChangeEvents.active ||
      diagnostics.stateChange.hasSubscribers
    ) {
      this.publish('stateChange', {
        breaker: this.name,
        key: this.key,
        from,
        to,
        reason,
        generation: this.gen,
        at,
        reopenAt,
      });
    }
  }

  /**
   * The length of a new open round: the open duration doubled per failed probe round, capped at
   * `maxOpenDuration`, then spread once by `openDurationJitter` (never beyond the cap, so replicas
   * that share the reopen time accept it).
   */
  private openRoundMs(): number {
    const cfg = this.config;
    const base = Math.min(cfg.openDuration * 2 ** this.backoff, cfg.maxOpenDuration);
    if (cfg.openDurationJitter === 0) return base;
    const draw = Math.min(Math.max(Number(cfg.random()) || 0, 0), 1);
    const spread = base * (1 + cfg.openDurationJitter * (2 * draw - 1));
    return Math.max(1, Math.min(cfg.maxOpenDuration, spread));
  }

  private publish<K extends 'stateChange' | 'reject' | 'probe' | 'call' | 'admin'>(
    type: K,
    event: BreakerEventMap[K],
  ): void {
    const source = this.sourceOf(type);
    if (source.active) source.emit(event);
    const shared = this.registry?.sourceOf(type);
    if (shared?.active) shared.emit(event);
    const channel = diagnostics[type];
    if (channel.hasSubscribers) channel.publish(event);
  }

  protected override callListenersChanged(): void {
    this.updateTiming();
  }

  private updateTiming(): void {
    this.timed =
      this.alwaysTimed || this.callEvents.active || this.registry?.callEvents.active === true;
  }

  /** @internal Re-evaluates whether calls are timed (a registry-wide call listener came or went). */
  refreshTiming(): void {
    this.updateTiming();
  }

  /**
   * Runs `fn` through the breaker. Rejects with {@link BrokenCircuitError} when the breaker refuses,
   * and with {@link CallTimeoutError} when `timeout` expires first (the signal passed to `fn` aborts).
   */
  async execute<T>(fn: (signal: AbortSignal | undefined) => T | PromiseLike<T>): Promise<T> {
    const permit = this.tryAcquire();
    if (!permit.admitted)
      throw new BrokenCircuitError(this.name, permit.state, permit.retryAfterMs);
    if (this.config.timeout === undefined) {
      try {
        const value = await fn(undefined);
        permit.record({});
        return value;
      } catch (error) {
        permit.record({ error: error ?? new Error('undefined thrown') });
        throw error;
      }
    }
    const controller = new AbortController();
    const timed = permit as TimedEntry; // with `timeout` set, every counted permit is timed
    const timeout = new Promise<never>((_, reject) => {
      timed.onTimeout = () => {
        const error = new CallTimeoutError(this.name, this.config.timeout!);
        controller.abort(error);
        reject(error);
      };
    });
    try {
      const value = await Promise.race([fn(controller.signal), timeout]);
      permit.record({});
      return value;
    } catch (error) {
      permit.record({ error: error ?? new Error('undefined thrown') });
      throw error;
    } finally {
      timed.onTimeout = undefined;
    }
  }

  /**
   * Opens the breaker until {@link CircuitBreaker.reset}: every call is rejected (in `shadow` mode,
   * admitted and counted as a would-reject).
   */
  forceOpen(context?: AdminContext): void {
    this.transition('forced-open', 'forced-open', this.config.clock.now());
    this.announce('force-open', undefined, context);
  }

  /** Closes the breaker and forgets its history (also ends `forced-open` and `disabled`). */
  reset(context?: AdminContext): void {
    this.backoff = 0;
    this.transition('closed', 'reset', this.config.clock.now());
    this.announce('reset', undefined, context);
  }

  /** Admits every call and records nothing until {@link CircuitBreaker.reset}. */
  disable(context?: AdminContext): void {
    this.transition('disabled', 'disabled', this.config.clock.now());
    this.announce('disable', undefined, context);
  }

  /** The current mode: `enforce`, or `shadow` (admits every call, counting what it would refuse). */
  get mode(): BreakerMode {
    return this.shadow ? 'shadow' : 'enforce';
  }

  /**
   * Switches between `enforce` and `shadow` at run time; the state and its history are kept.
   * Throws a `TypeError` for any other value.
   */
  setMode(mode: BreakerMode, context?: AdminContext): void {
    if (mode !== 'enforce' && mode !== 'shadow') invalid('mode', mode, '"enforce" or "shadow"');
    this.apply(withConfig(this.config, { mode }));
    this.announce(mode, undefined, context);
  }

  /**
   * Changes options of the live breaker, validated exactly as at construction (the current options
   * merged with `changes`) and applied at once, or not at all: an unknown option, an option that
   * cannot change live (`name`, `registry`, `store`, `clock`) or an invalid value throws a
   * `TypeError` naming it and changes nothing. Calls in flight keep their permits. `undefined`
   * leaves an option as it is; `null` turns an optional one off (`timeout`, the rates and
   * `slowCallDurationThreshold`). A `maxOpenDuration` equal to `openDuration` follows it.
   *
   * - thresholds (`failureThreshold`, the rates, `minimumCalls`): from the next outcome; the window
   *   keeps its calls, the consecutive-failure count starts again.
   * - `window`: a new, empty window.
   * - `openDuration`, `maxOpenDuration`, `openDurationJitter`: from the next open round (the
   *   current one ends when it was going to).
   * - `timeout`: for calls admitted from now on (calls in flight keep their deadline).
   * - `halfOpenMaxCalls`, `successThreshold`, `isFailure`, `mode`: at once (probes in flight stay).
   *
   * @example
   * breaker.configure({ failureThreshold: 10, openDuration: 60_000 });
   */
  configure(changes: LiveOptions, context?: AdminContext): void {
    const { config, given } = reconfigured(this.config, changes);
    this.apply(config);
    const names = Object.keys(given);
    // A change of mode alone is reported as the switch it is, as setMode() reports it
    if (names.length === 1 && names[0] === 'mode') this.announce(config.mode, undefined, context);
    else this.announce('configure', given, context);
  }

  /** Installs a validated configuration: rebuilds only what changed; nothing here throws. */
  private apply(next: BreakerConfig): void {
    const prev = this.config;
    const windowChanged = JSON.stringify(prev.window) !== JSON.stringify(next.window);
    if (
      windowChanged ||
      prev.failureThreshold !== next.failureThreshold ||
      prev.failureRateThreshold !== next.failureRateThreshold ||
      prev.slowCallRateThreshold !== next.slowCallRateThreshold ||
      prev.minimumCalls !== next.minimumCalls
    ) {
      const { policy, window } = createTripPolicy(next, windowChanged ? undefined : this.window);
      this.policy = policy;
      this.window = window;
    }
    if (prev.timeout !== next.timeout) {
      if (this.deadlines !== undefined) (this.retiredDeadlines ??= []).push(this.deadlines);
      const timeout = next.timeout;
      this.deadlines =
        timeout === undefined
          ? undefined
          : new DeadlineQueue(timeout, next.clock, (p) => this.settle(p, Settlement.Timeout));
      if (timeout !== undefined) this.everTimed = true;
    }
    (this as { config: BreakerConfig }).config = next;
    this.alwaysTimed =
      next.slowCallDurationThreshold !== undefined || next.isFailure !== defaultIsFailure;
    this.timeWindow = next.window.type === 'time';
    this.shadow = next.mode === 'shadow';
    this.updateTiming();
  }

  /** Emits an `admin` event (always: operator actions are rare); a `by` that is not a string is left out. */
  private announce(
    action: AdminAction,
    changes: Record<string, unknown> | undefined,
    context: AdminContext | undefined,
  ): void {
    const by = typeof context?.by === 'string' ? context.by : undefined; // never throws after a change
    this.publish('admin', {
      breaker: this.name,
      key: this.key,
      action,
      changes,
      by,
      at: Date.now(),
    });
  }

  /**
   * Follows a state another process reported (used by shared stores). An `open` with a later
   * reopen time than the local one extends it; administrative states are never overridden.
   * The resulting event has reason `remote`, so stores can tell it from a local change.
   * @returns whether anything changed
   */
  applyRemoteState(remote: RemoteState): boolean {
    if (this.current === 'forced-open' || this.current === 'disabled') return false;
    const now = this.config.clock.now();
    if (remote.state === 'open' || remote.state === 'forced-open') {
      const until = now + Math.max(0, remote.retryAfterMs ?? this.config.openDuration);
      if (this.current === 'open' && Math.abs(until - this.openUntil) < 1) return false;
      this.transition('open', 'remote', now, until);
      return true;
    }
    if (remote.state === 'closed' && this.current !== 'closed') {
      this.backoff = 0;
      this.transition('closed', 'remote', now);
      return true;
    }
    return false;
  }

  /** A JSON-ready picture of the breaker, for health endpoints and debugging. */
  snapshot(): BreakerSnapshot {
    const now = this.config.clock.now();
    const state = this.state;
    const window = this.window;
    window?.advance(now);
    const calls = window?.calls ?? 0;
    const wall = Date.now();
    // Whole ms, rounded up like Retry-After. A forced open has no reopen time (only a reset ends
    // it); its retryAfterMs is the open duration, the hint its 503s and readiness give too.
    const retryAfterMs =
      state === 'open'
        ? this.remainingOpenMs(now)
        : state === 'forced-open'
          ? Math.ceil(this.config.openDuration)
          : 0;
    return {
      name: this.name,
      key: this.key ?? null,
      family: this.family ?? null,
      state,
      mode: this.mode,
      generation: this.gen,
      inFlight: this.inFlightCalls,
      reopenAt: state === 'open' ? wall + retryAfterMs : null,
      retryAfterMs,
      window: {
        calls,
        failures: window?.failures ?? 0,
        slowCalls: window?.slowCalls ?? 0,
        failureRate: calls === 0 ? 0 : ((window?.failures ?? 0) * 100) / calls,
        slowCallRate: calls === 0 ? 0 : ((window?.slowCalls ?? 0) * 100) / calls,
      },
      halfOpen: { probesInFlight: this.probes.length, successes: this.probeSuccesses },
      totals: { ...this.counts },
      lastTransition: this.last ?? null,
    };
  }

  /** Leaves the registry and the store and cancels timers. Permits still out settle as no-ops. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.deadlines?.clear();
    if (this.retiredDeadlines !== undefined)
      for (const queue of this.retiredDeadlines) queue.clear();
    this.registry?.remove(this);
    this.store.detach(this);
  }
}
