// One breaker per key, at most maxBreakers of them; idle closed breakers are evicted first.

import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerOptions } from './options.js';

/** How far from the oldest end eviction looks for an idle closed breaker before settling for less. */
const EVICTION_SCAN = 64;

/**
 * A bounded family of breakers that share options, one per key, named `<name>:<key>`.
 *
 * @example
 * const perTenant = new KeyedBreakers({ name: 'billing', failureThreshold: 3 }, 500);
 * const permit = perTenant.get(tenantId).tryAcquire();
 */
export class KeyedBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** The family's name: each breaker is `<name>:<key>`. */
  readonly name: string;

  constructor(
    private readonly options: BreakerOptions & { name: string },
    /** The most breakers kept at once. */
    readonly maxBreakers: number,
  ) {
    this.name = options.name;
  }

  /** How many breakers are held. */
  get size(): number {
    return this.breakers.size;
  }

  /** The breaker for `key`, created (and the family trimmed to `maxBreakers`) when missing. */
  get(key: string): CircuitBreaker {
    const existing = this.breakers.get(key);
    if (existing !== undefined) return existing;
    if (this.breakers.size >= this.maxBreakers) this.evictOne();
    const breaker = new CircuitBreaker(
      { ...this.options, name: `${this.name}:${key}` },
      key,
      this.name,
    );
    this.breakers.set(key, breaker);
    return breaker;
  }

  /** The breaker for `key` if one is held; never creates. */
  peek(key: string): CircuitBreaker | undefined {
    return this.breakers.get(key);
  }

  /** Every breaker held. */
  values(): IterableIterator<CircuitBreaker> {
    return this.breakers.values();
  }

  /** Closes and forgets every breaker. */
  close(): void {
    for (const breaker of this.breakers.values()) breaker.close();
    this.breakers.clear();
  }

  /** Evicts the oldest idle closed breaker near the old end, else the oldest closed one, else the oldest. */
  private evictOne(): void {
    let victim: [string, CircuitBreaker] | undefined;
    let closedVictim: [string, CircuitBreaker] | undefined;
    let scanned = 0;
    for (const entry of this.breakers) {
      const breaker = entry[1];
      victim ??= entry;
      if (breaker.state === 'closed') {
        if (breaker.inFlight === 0) {
          closedVictim = entry;
          break;
        }
        closedVictim ??= entry;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    const [key, breaker] = closedVictim ?? victim!;
    this.breakers.delete(key);
    breaker.registry?.evicted(breaker);
    breaker.close();
  }
}
