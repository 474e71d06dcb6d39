// The client's per-scope back-off state: open until a time, then one probe at a time until an answer closes it.

import { LruMap } from './lru.js';

/** The state of a scope that is backing off (a closed scope is simply not tracked). */
export type BackoffState = 'open' | 'half-open';

/** Passed to `onOpen` when a scope starts backing off. */
export interface ScopeOpenEvent {
  /** The scope key. */
  readonly scope: string;
  /** `open` after an open 503, `half-open` after a half-open one. */
  readonly state: BackoffState;
  /** Clock time (epoch ms with the default clock) until which calls short-circuit without a probe. */
  readonly until: number;
  /** The clamped delay the server asked for, ms. */
  readonly retryAfterMs: number;
}

/** Passed to `onClose` when a probe's answer ends a scope's back-off. */
export interface ScopeCloseEvent {
  /** The scope key. */
  readonly scope: string;
  /** The last `until` the scope had (clock ms). */
  readonly until: number;
  /** How long the scope backed off, ms. */
  readonly openForMs: number;
}

/** A read-only view of one tracked scope. */
export interface ScopeSnapshot {
  readonly scope: string;
  /** `open` while before `until`; `half-open` once a probe may go (or after a half-open 503). */
  readonly state: BackoffState;
  readonly until: number;
  /** Whether a probe call is in flight. */
  readonly probing: boolean;
}

interface Entry {
  state: BackoffState;
  until: number;
  /** For half-open short-circuits: the Retry-After to tell callers, ms. */
  retryAfterMs: number;
  generation: number;
  /** Clock time until which the probe slot is taken (0: free). */
  probeUntil: number;
  openedAt: number;
}

/** The result of asking to send a call. */
export type Admission =
  | { readonly admitted: true; readonly ticket: Ticket }
  | {
      readonly admitted: false;
      readonly state: BackoffState;
      /** Remaining wait to tell the caller, ms (≥ 1000). */
      readonly retryAfterMs: number;
    };

/** Carried by an admitted call so that its answer is credited to the right scope generation. */
export interface Ticket {
  readonly scope: string;
  readonly probe: boolean;
  readonly generation: number;
}

/** What a call's answer means for its scope. */
export type Verdict =
  | { readonly kind: 'open' | 'half-open'; readonly delayMs: number }
  | { readonly kind: 'pass' }
  | { readonly kind: 'error' };

/** Hooks of the table; each is called guarded, so a throwing hook never breaks a call. */
export interface ScopeTableHooks {
  onOpen?: (event: ScopeOpenEvent) => void;
  onClose?: (event: ScopeCloseEvent) => void;
}

const MIN_RETRY_AFTER_MS = 1000;

/** Tracks every backing-off scope in an LRU bounded by `maxScopes`. */
export class ScopeTable {
  private readonly entries: LruMap<string, Entry>;
  private generation = 0;

  constructor(
    maxScopes: number,
    private readonly probeTimeout: number,
    private readonly hooks: ScopeTableHooks,
  ) {
    this.entries = new LruMap(maxScopes);
  }

  /** Scopes tracked now. */
  get size(): number {
    return this.entries.size;
  }

  /** Decides whether a call to `scope` may go to the network at clock time `now`. */
  admit(scope: string, now: number): Admission {
    const entry = this.entries.get(scope);
    if (entry === undefined) {
      return { admitted: true, ticket: { scope, probe: false, generation: 0 } };
    }
    if (entry.state === 'open') {
      if (now < entry.until) {
        return {
          admitted: false,
          state: 'open',
          retryAfterMs: Math.max(MIN_RETRY_AFTER_MS, entry.until - now),
        };
      }
      // The server said when to come back, and that time has come: probe, one call at a time.
      entry.state = 'half-open';
      entry.retryAfterMs = MIN_RETRY_AFTER_MS;
    }
    if (entry.probeUntil > now) {
      return { admitted: false, state: 'half-open', retryAfterMs: entry.retryAfterMs };
    }
    entry.probeUntil = now + this.probeTimeout;
    return { admitted: true, ticket: { scope, probe: true, generation: entry.generation } };
  }

  /** Applies the answer (or failure) of an admitted call at clock time `now`. */
  settle(ticket: Ticket, verdict: Verdict, now: number): void {
    const entry = this.entries.peek(ticket.scope);
    const ownsProbe = entry !== undefined && ticket.probe && ticket.generation === entry.generation;
    if (verdict.kind === 'error') {
      if (ownsProbe) entry.probeUntil = 0;
      return;
    }
    if (verdict.kind === 'pass') {
      if (!ownsProbe) return; // a call admitted before the scope opened proves nothing now
      this.entries.delete(ticket.scope);
      this.call(this.hooks.onClose, {
        scope: ticket.scope,
        until: entry.until,
        openForMs: Math.max(0, now - entry.openedAt),
      });
      return;
    }
    const delayMs = Math.max(MIN_RETRY_AFTER_MS, verdict.delayMs);
    const until = verdict.kind === 'open' ? now + delayMs : now;
    if (entry === undefined) {
      this.generation += 1;
      this.entries.set(ticket.scope, {
        state: verdict.kind,
        until,
        retryAfterMs: delayMs,
        generation: this.generation,
        probeUntil: 0,
        openedAt: now,
      });
      this.call(this.hooks.onOpen, {
        scope: ticket.scope,
        state: verdict.kind,
        until,
        retryAfterMs: delayMs,
      });
      return;
    }
    if (entry.state !== verdict.kind || ownsProbe) {
      // A new round: earlier probes can no longer speak for this scope.
      this.generation += 1;
      entry.generation = this.generation;
      entry.probeUntil = 0;
    }
    entry.state = verdict.kind;
    entry.until = until;
    entry.retryAfterMs = delayMs;
  }

  /** The state of `scope` at `now`, if it is backing off. */
  snapshot(scope: string, now: number): ScopeSnapshot | undefined {
    const entry = this.entries.peek(scope);
    if (entry === undefined) return undefined;
    const open = entry.state === 'open' && now < entry.until;
    return {
      scope,
      state: open ? 'open' : 'half-open',
      until: entry.until,
      probing: entry.probeUntil > now,
    };
  }

  /** Forgets every scope (no events). */
  clear(): void {
    this.entries.clear();
  }

  private call<E>(hook: ((event: E) => void) | undefined, event: E): void {
    if (hook === undefined) return;
    try {
      hook(event);
    } catch {
      // A hook is the caller's code: its failure must never fail or wedge a request.
    }
  }
}
