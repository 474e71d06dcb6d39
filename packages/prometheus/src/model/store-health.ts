// Reads the health of the stores the breakers share state through (RedisStore's `connected` and `stats`).

import type { BreakerStore } from '@breakwater/core';

/** What a store reports about itself, when it reports anything (the in-memory store does not). */
export interface StoreHealth {
  /** A stable label: the store's class name, numbered when several stores share one. */
  readonly store: string;
  /** Whether the store can currently reach what it shares state through. */
  readonly up: boolean;
  /** Its counters (errors, outages, published…), by snake_case name. */
  readonly events: ReadonlyMap<string, number>;
}

interface ReportingStore {
  readonly connected: boolean;
  readonly stats: Readonly<Record<string, unknown>>;
}

function reports(store: BreakerStore): store is BreakerStore & ReportingStore {
  const s = store as Partial<ReportingStore>;
  return typeof s.connected === 'boolean' && typeof s.stats === 'object' && s.stats !== null;
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Names stores stably across scrapes: `RedisStore`, then `RedisStore#2`… in order of first sight. */
export class StoreNames {
  private readonly names = new WeakMap<BreakerStore, string>();
  private readonly taken = new Map<string, number>();

  /** The health of every distinct reporting store among `stores`. */
  read(stores: Iterable<BreakerStore>): StoreHealth[] {
    const out: StoreHealth[] = [];
    const seen = new Set<BreakerStore>();
    for (const store of stores) {
      if (seen.has(store) || !reports(store)) continue;
      seen.add(store);
      const events = new Map<string, number>();
      for (const [name, value] of Object.entries(store.stats)) {
        if (typeof value === 'number') events.set(snake(name), value);
      }
      out.push({ store: this.nameOf(store), up: store.connected, events });
    }
    return out;
  }

  private nameOf(store: BreakerStore): string {
    let name = this.names.get(store);
    if (name === undefined) {
      const base = store.constructor?.name || 'store';
      const n = (this.taken.get(base) ?? 0) + 1;
      this.taken.set(base, n);
      name = n === 1 ? base : `${base}#${n}`;
      this.names.set(store, name);
    }
    return name;
  }
}
