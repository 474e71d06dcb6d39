// One breaker per key, at most maxBreakers of them; only closed breakers are evicted, idle ones first.

import { CircuitBreaker } from './circuit-breaker.js';
import { parseBreakerOptions, type BreakerConfig } from './configuration.js';
import type { AdminContext } from './circuit-breaker.js';
import { keyedBreakerName } from './keyed-breaker-name.js';
import { reconfigured, type LiveOptions } from './live-options.js';
import { warnOnce } from './logger.js';
import type { BreakerOptions } from './options.js';

/** How far from the oldest end eviction looks for an idle closed breaker before taking a busy one. */
const EVICTION_SCAN = 64;
/** Names tried for one key before it is given a pass-through breaker (each a fresh digest). */
const NAME_ATTEMPTS = 8;

/**
 * A bounded family of breakers that share options, one per key, named `<name>:<key>`.
 *
 * - **Any key works.** A name longer than 512 characters is shortened: its first 495 characters,
 *   `~`, and 16 hex characters of its SHA-256 (see `keyedBreakerName`). A name already taken in
 *   the registry by another breaker gets such a digest too, so a key can never take, or fail on,
 *   another breaker's name. `breaker.key` is always the key as given.
 * - **Eviction never drops a live state.** At `maxBreakers`, a new key evicts a `closed` breaker
 *   (an idle one near the oldest end first, else the oldest closed one). Open, half-open,
 *   forced-open and disabled breakers are never evicted: their state, reopen time and alerts stay
 *   until they close.
 * - **When every held breaker is open** (or otherwise not closed), a new key is not refused and
 *   does not grow the family: it gets a pass-through breaker, a `disabled` one outside the
 *   registry and store that is not kept, so its requests pass unguarded and nothing is recorded.
 *   This is logged once per logger with code `ERR_BREAKWATER_KEYED_FULL`. As soon as a held
 *   breaker closes, new keys get breakers of their own again.
 *
 * @example
 * const perTenant = new KeyedBreakers({ name: 'billing', failureThreshold: 3 }, 500);
 * const permit = perTenant.get(tenantId).tryAcquire();
 */
export class KeyedBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Held breakers that are not closed (so not evictable), kept by their state-change events. */
  private unevictable = 0;
  private config: BreakerConfig;
  /** The family's name: each breaker is `<name>:<key>`. */
  readonly name: string;

  /**
   * @param options - the breaker options every key's breaker is built from; `name` is the family's
   *   name. Read by name (inherited options count) and validated here: a bad one throws a
   *   `TypeError` now rather than at the first request.
   * @param maxBreakers - the most breakers kept at once
   */
  constructor(
    options: BreakerOptions | BreakerConfig,
    /** The most breakers kept at once. */
    readonly maxBreakers: number,
  ) {
    this.config = parseBreakerOptions(options);
    if (this.config.name === undefined) {
      throw new TypeError('Breakwater: option "name" must be set for a keyed family');
    }
    this.name = this.config.name;
  }

  /** How many breakers are held. */
  get size(): number {
    return this.breakers.size;
  }

  /**
   * The breaker for `key`: the held one, else a new one (evicting a closed breaker when the
   * family is at `maxBreakers`). Never throws and never returns `undefined`, whatever the key
   * (any length, any characters, a `<name>:<key>` equal to another breaker's name). When no
   * breaker can be kept for the key (every held breaker is open, half-open, forced-open or
   * disabled; or building one failed, e.g. a store's `attach` threw), it returns a pass-through
   * breaker (state `disabled`, in no registry or store, not kept): the request passes unguarded
   * and a coded warning is logged once (`ERR_BREAKWATER_KEYED_FULL`,
   * `ERR_BREAKWATER_KEYED_BREAKER_FAILED`).
   */
  get(key: string): CircuitBreaker {
    const existing = this.breakers.get(key);
    if (existing !== undefined) return existing;
    if (this.breakers.size >= this.maxBreakers && !this.evictOne()) {
      warnOnce(
        this.config.logger,
        'ERR_BREAKWATER_KEYED_FULL',
        `keyed breakers "${this.name}" hold maxBreakers (${this.maxBreakers}) breakers and none is closed, so none is evicted; requests for new keys pass unguarded until one closes`,
      );
      return this.passThrough(key);
    }
    let breaker: CircuitBreaker;
    try {
      breaker = new CircuitBreaker(this.config, {
        name: this.freeName(key),
        key,
        family: this.name,
      });
    } catch (error) {
      warnOnce(
        this.config.logger,
        'ERR_BREAKWATER_KEYED_BREAKER_FAILED',
        `the breaker for a key of "${this.name}" could not be built (${String(error)}); that key's requests pass unguarded`,
      );
      return this.passThrough(key);
    }
    this.breakers.set(key, breaker);
    breaker.onStateChange((event) => {
      if (this.breakers.get(key) !== breaker) return; // evicted meanwhile
      if (event.from === 'closed' && event.to !== 'closed') this.unevictable++;
      else if (event.from !== 'closed' && event.to === 'closed') this.unevictable--;
    });
    if (breaker.state !== 'closed') this.unevictable++; // a shared store may have opened it already
    return breaker;
  }

  /** The breaker held for `key`, if any; never creates one (for inspection). */
  peek(key: string): CircuitBreaker | undefined {
    return this.breakers.get(key);
  }

  /** Every breaker held. */
  values(): IterableIterator<CircuitBreaker> {
    return this.breakers.values();
  }

  /**
   * Changes the options of every held breaker and of those created from now on, validated first
   * for the family (a bad change throws a `TypeError` and changes nothing). See `configure()` on
   * {@link CircuitBreaker}.
   * @returns the names of the held breakers changed
   */
  configure(changes: LiveOptions, context?: AdminContext): string[] {
    this.checkConfigure(changes);
    this.config = reconfigured(this.config, changes).config;
    const names: string[] = [];
    for (const breaker of this.breakers.values()) {
      breaker.configure(changes, context);
      names.push(breaker.name);
    }
    return names;
  }

  /** @internal Throws the `TypeError` {@link KeyedBreakers.configure} would throw, changing nothing. */
  checkConfigure(changes: LiveOptions): void {
    reconfigured(this.config, changes);
    for (const breaker of this.breakers.values()) reconfigured(breaker.config, changes);
  }

  /** Closes and forgets every breaker. */
  close(): void {
    const held = [...this.breakers.values()];
    this.breakers.clear();
    this.unevictable = 0;
    for (const breaker of held) breaker.close();
  }

  /** A disabled breaker for `key`, in no registry or store, not kept: the request passes unguarded. */
  private passThrough(key: string): CircuitBreaker {
    return CircuitBreaker.passThrough(this.config, keyedBreakerName(this.name, key), key);
  }

  /** `<name>:<key>`, or a digest-shortened form when that is too long or taken in the registry. */
  private freeName(key: string): string {
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      const name = keyedBreakerName(this.name, key, attempt);
      if (this.config.registry?.get(name) === undefined) return name;
    }
    throw new Error(`no free name after ${NAME_ATTEMPTS} digests`);
  }

  /**
   * Evicts a closed breaker: the first idle one within {@link EVICTION_SCAN} of the oldest end,
   * else the oldest closed one. Breakers that are not closed are passed over and moved to the
   * young end, so the next scan starts among closed ones. Returns false when none is closed.
   */
  private evictOne(): boolean {
    if (this.unevictable >= this.breakers.size) return false;
    let victim: string | undefined;
    let busyVictim: string | undefined;
    let scanned = 0;
    const passed: [string, CircuitBreaker][] = [];
    for (const entry of this.breakers) {
      const breaker = entry[1];
      if (breaker.state !== 'closed') {
        passed.push(entry);
        continue;
      }
      if (breaker.inFlight === 0) {
        victim = entry[0];
        break;
      }
      busyVictim ??= entry[0];
      if (++scanned >= EVICTION_SCAN) break;
    }
    for (const [key, breaker] of passed) {
      this.breakers.delete(key);
      this.breakers.set(key, breaker);
    }
    const key = victim ?? busyVictim;
    if (key === undefined) return false; // the count was stale: nothing closed after all
    const breaker = this.breakers.get(key)!;
    this.breakers.delete(key);
    breaker.registry?.evicted(breaker);
    breaker.close();
    return true;
  }
}
