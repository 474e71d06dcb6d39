// A set of breakers by name: shared breakers for same-named middleware, events from all, snapshots.

import type { AdminContext, CircuitBreaker } from './circuit-breaker.js';
import { withConfig, type BreakerConfig } from './configuration.js';
import { KeyedBreakers } from './keyed-breakers.js';
import { obtainBreaker } from './obtain-breaker.js';
import { reconfigured, type LiveOptions } from './live-options.js';
import type { BreakerOptions } from './options.js';
import { processSlot } from './process-slot.js';
import { MemoryStore } from './store.js';
import { BreakerEvents } from './breaker-events.js';
import { EventSource, type Disposable, type Listener } from './event-source.js';
import type { RegistrySnapshot } from './snapshot.js';

/** What a target names: breakers (each once) and keyed families. */
export interface BreakerSelection {
  readonly breakers: readonly CircuitBreaker[];
  readonly families: readonly KeyedBreakers[];
}

/** What {@link BreakerRegistry.configure} changed. */
export interface ConfigureResult {
  /** Names of the breakers changed. */
  readonly breakers: readonly string[];
  /** Names of the keyed families whose later breakers get the new options. */
  readonly families: readonly string[];
}

/**
 * Breakers by name. Every breaker joins the process-wide {@link defaultRegistry} unless its options
 * name another registry or `false`. Listeners on a registry hear the events of all its breakers.
 */
export class BreakerRegistry extends BreakerEvents {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly families = new Map<string, KeyedBreakers>();
  private readonly shared = new Map<
    string,
    { readonly option: unknown; readonly value: unknown }
  >();
  private readonly addedEvents = new EventSource<CircuitBreaker>();
  private readonly removedEvents = new EventSource<CircuitBreaker>();
  private readonly evictedEvents = new EventSource<CircuitBreaker>();

  /** A registry-wide call listener came or went: every breaker re-checks whether it times calls. */
  protected override callListenersChanged(): void {
    for (const breaker of this.breakers.values()) breaker.refreshTiming();
  }

  /** @internal Called by the breaker's constructor. */
  add(breaker: CircuitBreaker): void {
    if (this.breakers.has(breaker.name)) {
      throw new TypeError(
        `Breakwater: a breaker named "${breaker.name}" already exists in this registry; ` +
          'use registry.obtain(options) to share it, or choose another name',
      );
    }
    this.breakers.set(breaker.name, breaker);
    if (this.addedEvents.active) this.addedEvents.emit(breaker);
  }

  /** @internal Called by `breaker.close()`. */
  remove(breaker: CircuitBreaker): void {
    if (this.breakers.get(breaker.name) !== breaker) return;
    this.breakers.delete(breaker.name);
    if (this.removedEvents.active) this.removedEvents.emit(breaker);
  }

  /**
   * The breaker named `options.name`, created when there is none; an unnamed breaker is always new.
   * Same name, same breaker: middleware guarding one dependency trips together. Throws a
   * `TypeError` naming the option that differs when a breaker of that name exists with other options.
   *
   * @example
   * const payments = defaultRegistry.obtain({ name: 'payments', failureThreshold: 3 });
   */
  obtain(options: BreakerOptions | BreakerConfig = {}): CircuitBreaker {
    return obtainBreaker(options, this);
  }

  /**
   * @internal The keyed family named `name` (one breaker per key, `<name>:<key>`), created with
   * `config` and `maxBreakers` when there is none, so that same-named guards share their keys.
   */
  family(name: string, config: BreakerConfig, maxBreakers: number): KeyedBreakers {
    let family = this.families.get(name);
    if (family === undefined) {
      family = new KeyedBreakers(withConfig(config, { name }), maxBreakers);
      this.families.set(name, family);
    }
    return family;
  }

  /**
   * @internal A value shared by everything that names `name` with the same `option` (e.g. the
   * response cache of Fastify's automatic `HEAD` route and its `GET` route); `create` makes it.
   */
  sharedBy<T>(name: string, option: unknown, create: () => T): T {
    const known = this.shared.get(name);
    if (known !== undefined && known.option === option) return known.value as T;
    const value = create();
    this.shared.set(name, { option, value });
    return value;
  }

  /** @internal Called by a keyed family just before it closes a breaker it evicts. */
  evicted(breaker: CircuitBreaker): void {
    if (this.evictedEvents.active && this.breakers.get(breaker.name) === breaker) {
      this.evictedEvents.emit(breaker);
    }
  }

  /** The breaker named `name`, if any. */
  get(name: string): CircuitBreaker | undefined {
    return this.breakers.get(name);
  }

  /**
   * The breakers and keyed families `target` names: `name` is the breaker of that name and, when a
   * keyed family has that name, the family and all its breakers (`name:` names only the family);
   * `prefix*` is every breaker and family whose name starts with `prefix` (`*` alone: all).
   */
  select(target: string): BreakerSelection {
    const breakers = new Set<CircuitBreaker>();
    const families: KeyedBreakers[] = [];
    const star = target.endsWith('*');
    const prefix = star ? target.slice(0, -1) : undefined;
    const familyName = !star && target.endsWith(':') ? target.slice(0, -1) : undefined;
    for (const [name, family] of this.families) {
      const hit = prefix !== undefined ? name.startsWith(prefix) : name === (familyName ?? target);
      if (!hit) continue;
      families.push(family);
      for (const breaker of family.values()) {
        if (this.breakers.get(breaker.name) === breaker) breakers.add(breaker);
      }
    }
    if (prefix !== undefined) {
      for (const [name, breaker] of this.breakers)
        if (name.startsWith(prefix)) breakers.add(breaker);
    } else if (familyName === undefined) {
      const breaker = this.breakers.get(target);
      if (breaker !== undefined) breakers.add(breaker);
    }
    return { breakers: [...breakers], families };
  }

  /**
   * Changes options of every breaker and keyed family `target` names (see
   * {@link BreakerRegistry.select}), validated for each before any changes: a bad change throws
   * a `TypeError` naming it and changes nothing anywhere. See `CircuitBreaker.configure()` for
   * what a change does. A target that names nothing changes nothing (both lists empty).
   *
   * @example
   * defaultRegistry.configure('payments', { failureThreshold: 3 });
   * defaultRegistry.configure('tenant:', { openDuration: 60_000 }); // a keyed family, new keys too
   */
  configure(target: string, changes: LiveOptions, context?: AdminContext): ConfigureResult {
    const { breakers, families } = this.select(target);
    for (const breaker of breakers) reconfigured(breaker.config, changes);
    for (const family of families) family.checkConfigure(changes);
    const changed = new Set<string>();
    for (const family of families) {
      for (const name of family.configure(changes, context)) changed.add(name);
    }
    for (const breaker of breakers) {
      if (!changed.has(breaker.name)) {
        breaker.configure(changes, context);
        changed.add(breaker.name);
      }
    }
    return { breakers: [...changed], families: families.map((family) => family.name) };
  }

  /** How many breakers the registry holds. */
  get size(): number {
    return this.breakers.size;
  }

  /** Every breaker, in the order they joined. */
  list(): CircuitBreaker[] {
    return [...this.breakers.values()];
  }

  [Symbol.iterator](): IterableIterator<CircuitBreaker> {
    return this.breakers.values();
  }

  /** A JSON-ready picture of every breaker. */
  snapshot(): RegistrySnapshot {
    return { at: Date.now(), breakers: this.list().map((breaker) => breaker.snapshot()) };
  }

  /** Hears breakers joining. */
  onAdd(listener: Listener<CircuitBreaker>): Disposable {
    return this.addedEvents.subscribe(listener);
  }

  /** Hears breakers leaving (closed or evicted). */
  onRemove(listener: Listener<CircuitBreaker>): Disposable {
    return this.removedEvents.subscribe(listener);
  }

  /**
   * Hears keyed breakers evicted under `maxBreakers`, just before they leave (`onRemove` follows).
   * Metrics count evictions per family with it.
   */
  onEvict(listener: Listener<CircuitBreaker>): Disposable {
    return this.evictedEvents.subscribe(listener);
  }
}

const slot = processSlot(() => ({
  registry: new BreakerRegistry(),
  memoryStore: new MemoryStore(),
}));

/**
 * The process-wide registry every breaker joins by default: one per process, shared by the ESM and
 * CommonJS builds and by compatible copies of `@breakwater/core` installed side by side.
 */
export const defaultRegistry: BreakerRegistry = slot.registry;

/** The in-memory store every breaker uses unless given another (one per process, like the registry). */
export const memoryStore: MemoryStore = slot.memoryStore;

/** @internal The next `breaker-N` name: unnamed breakers and keyed families share one counter. */
export function nextBreakerName(): string {
  return `breaker-${++slot.names.next}`;
}
