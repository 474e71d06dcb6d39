// What must be one per process, however core is loaded: ESM and CJS builds and side-by-side copies share it.

import { consoleLogger, warnOnce } from './logger.js';
import { CORE_VERSION } from './version.js';

/**
 * The shape of the shared slot. Bump {@link PROTOCOL} whenever it, or what it holds (the registry's,
 * the store's and the keyed families' methods that other copies call), changes incompatibly.
 */
export interface ProcessSlot<Registry, Store> {
  readonly protocol: number;
  /** The version of the copy that made the slot. */
  readonly version: string;
  /** The default breaker registry. */
  readonly registry: Registry;
  /** The in-memory breaker store. */
  readonly memoryStore: Store;
  /** The counter behind `breaker-N` names. */
  readonly names: { next: number };
}

const PROTOCOL = 1;
const SLOT: unique symbol = Symbol.for('breakwater.core.process') as never;

type Holder = { [SLOT]?: ProcessSlot<unknown, unknown> };

/**
 * The process-wide slot, made by the first copy of core that asks. A copy whose protocol differs
 * keeps its own slot (`create()`) and says so once, naming both versions: its breakers then live
 * in a registry the other copy's metrics and health endpoints do not see.
 */
export function processSlot<Registry, Store>(
  create: () => { registry: Registry; memoryStore: Store },
): ProcessSlot<Registry, Store> {
  const holder = globalThis as Holder;
  const existing = holder[SLOT];
  const make = (): ProcessSlot<Registry, Store> => ({
    protocol: PROTOCOL,
    version: CORE_VERSION,
    ...create(),
    names: { next: 0 },
  });
  if (existing === undefined) {
    const made = make();
    Object.defineProperty(holder, SLOT, { value: made, enumerable: false, configurable: true });
    return made;
  }
  if (existing.protocol === PROTOCOL) return existing as ProcessSlot<Registry, Store>;
  warnOnce(
    consoleLogger,
    'ERR_BREAKWATER_CORE_COPIES',
    `two incompatible copies of @breakwater/core are loaded (${existing.version}, protocol ${existing.protocol}; and ${CORE_VERSION}, protocol ${PROTOCOL}); ` +
      `breakers of ${CORE_VERSION} join a registry of their own, which the other copy's metrics and health endpoints do not see. Install one version of @breakwater/core.`,
  );
  return make();
}

/** @internal The protocol this copy speaks (for tests). */
export const SLOT_PROTOCOL: number = PROTOCOL;
