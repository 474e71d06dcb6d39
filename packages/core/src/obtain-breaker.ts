// Same name, same breaker: how middleware instances that guard one dependency trip together.

import { CircuitBreaker } from './circuit-breaker.js';
import { configSignature, parseBreakerOptions } from './configuration.js';
import type { BreakerOptions } from './options.js';
import { defaultRegistry } from './registry.js';
import { memoryStore } from './store.js';

/**
 * Returns the registry's breaker named `options.name`, creating it when there is none. An unnamed
 * breaker is always new. Throws a `TypeError` when a breaker of that name exists with other options.
 */
export function obtainBreaker(options: BreakerOptions = {}): CircuitBreaker {
  const registry = options.registry === false ? undefined : (options.registry ?? defaultRegistry);
  const existing = options.name === undefined ? undefined : registry?.get(options.name);
  if (existing === undefined) return new CircuitBreaker(options);
  const wanted = configSignature(parseBreakerOptions(options));
  if (
    existing.signature !== wanted ||
    existing.store !== (options.store ?? memoryStore) ||
    existing.key !== undefined
  ) {
    throw new TypeError(
      `Breakwater: breaker "${existing.name}" already exists with other options; ` +
        `breakers that share a name must agree (existing ${existing.signature}, requested ${wanted})`,
    );
  }
  return existing;
}
