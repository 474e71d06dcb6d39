// The client's per-scope back-off state: open until a time, then one probe at a time until an answer closes it.

import { LruMap } from './lru.js';
import {
  patternMatches,
  requestSegments,
  type BreakerScope,
  type ScopePattern,
} from './server-scope.js';

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
  /** The methods and path pattern it covers, when it can be stated (always for a server-declared scope). */
  readonly serverScope: BreakerScope | undefined;
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
  /** The methods and path pattern it covers, when it can be stated (always for a server-declared scope). */
  readonly serverScope: BreakerScope | undefined;
}

/** Where a back-off answer lands: a server-declared scope of an origin, or a key of the `scope` option. */
export interface ScopeTarget {
  /** The scope's name in events, snapshots and the local 503's `breaker` field. */
  readonly label: string;
  /** For a server-declared scope: the origin it belongs to and the pattern calls are matched against. */
  readonly origin?: string;
  readonly pattern?: ScopePattern;
  /** For a `scope`-option key: the key. */
  readonly key?: string;
  /** How the local 503 states it, if it can. */
  readonly wire: BreakerScope | undefined;
}

/** One call as the table matches it. */
export interface CallFacts {
  /** The `scope` option's key for the call. */
  readonly key: string;
  readonly origin: string;
  /** Upper-case. */
  readonly method: string;
  readonly pathname: string;
}

interface Entry {
  /** The LRU key: `k <key>` for `scope`-option keys, `s <origin> <canonical pattern>` for server scopes. */
  readonly id: string;
  readonly label: string;
  readonly origin: string | undefined;
  readonly pattern: ScopePattern | undefined;
  readonly wire: BreakerScope | undefined;
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
      /** The scope that refused the call. */
      readonly label: string;
      readonly wire: BreakerScope | undefined;
    };

/** Carried by an admitted call so that its answer is credited to the scopes (and generations) it probes. */
export interface Ticket {
  readonly probes: readonly { readonly entry: object; readonly generation: number }[];
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
const FREE: Admission = Object.freeze({ admitted: true, ticket: Object.freeze({ probes: [] }) });

/**
 * Tracks every backing-off scope in one LRU bounded by `maxScopes`. A call is refused while any scope
 * it falls in refuses it: its `scope`-option key, and every server-declared scope of its origin whose
 * methods and path pattern it matches (an open `* /*` covers every route; two open routes are two
 * scopes). Once every such scope's time has come, the call probes all of them at once.
 */
export class ScopeTable {
  private readonly entries: LruMap<string, Entry>;
  /** Server-declared scopes by origin, for matching; kept in step with `entries`. */
  private readonly byOrigin = new Map<string, Set<Entry>>();
  private generation = 0;

  constructor(
    maxScopes: number,
    private readonly probeTimeout: number,
    private readonly hooks: ScopeTableHooks,
  ) {
    this.entries = new LruMap(maxScopes, (_id, entry) => this.unindex(entry));
  }

  /** Scopes tracked now. */
  get size(): number {
    return this.entries.size;
  }

  /** Decides whether `call` may go to the network at clock time `now`. */
  admit(call: CallFacts, now: number): Admission {
    const matched = this.matching(call);
    if (matched === undefined) return FREE;
    let refusal: Entry | undefined;
    let refusalMs = 0;
    for (const entry of matched) {
      if (entry.state === 'open') {
        if (now < entry.until) {
          // The longest remaining open time is when the call could go out.
          const remaining = entry.until - now;
          if (refusal?.state !== 'open' || remaining > refusalMs) {
            refusal = entry;
            refusalMs = remaining;
          }
          continue;
        }
        // The server said when to come back, and that time has come: probe, one call at a time.
        entry.state = 'half-open';
        entry.retryAfterMs = MIN_RETRY_AFTER_MS;
      }
      if (entry.probeUntil > now && refusal === undefined) {
        refusal = entry;
        refusalMs = entry.retryAfterMs;
      }
    }
    if (refusal !== undefined) {
      this.entries.get(refusal.id); // mark it recently used
      return {
        admitted: false,
        state: refusal.state,
        retryAfterMs: Math.max(MIN_RETRY_AFTER_MS, refusalMs),
        label: refusal.label,
        wire: refusal.wire,
      };
    }
    const probes = matched.map((entry) => {
      entry.probeUntil = now + this.probeTimeout;
      return { entry, generation: entry.generation };
    });
    return { admitted: true, ticket: { probes } };
  }

  /**
   * Applies the answer (or failure) of an admitted call at clock time `now`. A back-off answer lands on
   * `target` (required then); the other scopes the call was probing let it through, so their probe
   * slots are freed without closing them.
   */
  settle(ticket: Ticket, verdict: Verdict, now: number, target?: ScopeTarget): void {
    const owned: Entry[] = [];
    for (const probe of ticket.probes) {
      const entry = probe.entry as Entry;
      if (this.entries.peek(entry.id) === entry && entry.generation === probe.generation) {
        owned.push(entry);
      }
    }
    if (verdict.kind === 'error') {
      for (const entry of owned) entry.probeUntil = 0;
      return;
    }
    if (verdict.kind === 'pass') {
      // A call admitted before a scope opened proves nothing about it; a probe's good answer closes it.
      for (const entry of owned) {
        this.remove(entry);
        this.call(this.hooks.onClose, {
          scope: entry.label,
          until: entry.until,
          openForMs: Math.max(0, now - entry.openedAt),
        });
      }
      return;
    }
    if (target === undefined) return;
    const delayMs = Math.max(MIN_RETRY_AFTER_MS, verdict.delayMs);
    const until = verdict.kind === 'open' ? now + delayMs : now;
    const id = target.pattern
      ? `s ${target.origin ?? ''} ${target.pattern.canonical}`
      : `k ${target.key ?? ''}`;
    const entry = this.entries.peek(id);
    let ownsTarget = false;
    for (const other of owned) {
      if (other === entry) ownsTarget = true;
      else other.probeUntil = 0;
    }
    if (entry === undefined) {
      this.generation += 1;
      const created: Entry = {
        id,
        label: target.label,
        origin: target.pattern ? target.origin : undefined,
        pattern: target.pattern,
        wire: target.wire,
        state: verdict.kind,
        until,
        retryAfterMs: delayMs,
        generation: this.generation,
        probeUntil: 0,
        openedAt: now,
      };
      this.entries.set(id, created);
      this.index(created);
      this.call(this.hooks.onOpen, {
        scope: created.label,
        state: verdict.kind,
        until,
        retryAfterMs: delayMs,
        serverScope: created.wire,
      });
      return;
    }
    if (entry.state !== verdict.kind || ownsTarget) {
      // A new round: earlier probes can no longer speak for this scope.
      this.generation += 1;
      entry.generation = this.generation;
      entry.probeUntil = 0;
    }
    entry.state = verdict.kind;
    entry.until = until;
    entry.retryAfterMs = delayMs;
    this.entries.get(id);
  }

  /** The scope that governs `call` at `now` (the one that would refuse it), if any is backing off. */
  snapshot(call: CallFacts, now: number): ScopeSnapshot | undefined {
    const matched = this.matching(call);
    if (matched === undefined) return undefined;
    let best: Entry | undefined;
    let bestOpen = false;
    for (const entry of matched) {
      const open = entry.state === 'open' && now < entry.until;
      if (best === undefined || (open && (!bestOpen || entry.until > best.until))) {
        best = entry;
        bestOpen = open;
      }
    }
    if (best === undefined) return undefined;
    return {
      scope: best.label,
      state: bestOpen ? 'open' : 'half-open',
      until: best.until,
      probing: best.probeUntil > now,
      serverScope: best.wire,
    };
  }

  /** Forgets every scope (no events). */
  clear(): void {
    this.entries.clear();
    this.byOrigin.clear();
  }

  /** The tracked scopes `call` falls in, or `undefined` for none (the common case: two map look-ups). */
  private matching(call: CallFacts): Entry[] | undefined {
    const keyed = this.entries.peek(`k ${call.key}`);
    const declared = this.byOrigin.get(call.origin);
    if (keyed === undefined && declared === undefined) return undefined;
    const matched: Entry[] = keyed === undefined ? [] : [keyed];
    if (declared !== undefined) {
      const segments = requestSegments(call.pathname);
      for (const entry of declared) {
        if (patternMatches(entry.pattern!, call.method, segments)) matched.push(entry);
      }
    }
    return matched.length === 0 ? undefined : matched;
  }

  private index(entry: Entry): void {
    if (entry.origin === undefined) return;
    let set = this.byOrigin.get(entry.origin);
    if (set === undefined) this.byOrigin.set(entry.origin, (set = new Set()));
    set.add(entry);
  }

  private unindex(entry: Entry): void {
    if (entry.origin === undefined) return;
    const set = this.byOrigin.get(entry.origin);
    set?.delete(entry);
    if (set?.size === 0) this.byOrigin.delete(entry.origin);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.id);
    this.unindex(entry);
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
