// Same name, same breaker: how middleware instances that guard one dependency trip together.

import { CircuitBreaker } from './circuit-breaker.js';
import {
  configSignature,
  isBreakerConfig,
  parseBreakerOptions,
  withConfig,
  type BreakerConfig,
} from './configuration.js';
import type { BreakerOptions } from './options.js';
import type { BreakerRegistry } from './registry.js';

/**
 * Returns `registry`'s breaker named `options.name`, creating it (in that registry) when there is
 * none. An unnamed breaker is always new. Throws a `TypeError` when a breaker of that name exists
 * with other options. Backs {@link BreakerRegistry.obtain}.
 */
export function obtainBreaker(
  options: BreakerOptions | BreakerConfig,
  registry: BreakerRegistry,
): CircuitBreaker {
  let config = parseBreakerOptions(options);
  if (!isBreakerConfig(options) && options.registry === undefined && config.registry !== registry) {
    config = withConfig(config, { registry });
  }
  if (config.registry !== registry && config.registry !== undefined) {
    throw new TypeError(
      'Breakwater: registry.obtain(options) was given options naming another registry; obtain the breaker from that registry',
    );
  }
  const existing = config.name === undefined ? undefined : registry.get(config.name);
  if (existing === undefined || config.registry === undefined) return new CircuitBreaker(config);
  const wanted = configSignature(config);
  if (
    existing.signature !== wanted ||
    existing.store !== config.store ||
    existing.key !== undefined
  ) {
    throw new TypeError(
      `Breakwater: breaker "${existing.name}" already exists with other options; ` +
        `breakers that share a name must agree (existing ${existing.signature}, requested ${wanted})`,
    );
  }
  return existing;
}
