// Same name, same breaker: how middleware instances that guard one dependency trip together.

import { CircuitBreaker } from './circuit-breaker.js';
import {
  configDifference,
  isBreakerConfig,
  parseBreakerOptions,
  SHARED_OPTION_NAMES,
  withConfig,
  type BreakerConfig,
  type ConfigDifference,
} from './configuration.js';
import type { BreakerOptions } from './options.js';
import type { BreakerRegistry } from './registry.js';
import { show } from './validate.js';

/** A value as a clash message shows it: data by value, functions and objects by what they are. */
function describe(value: unknown): string {
  if (typeof value === 'function')
    return `function ${value.name === '' ? '(anonymous)' : value.name}`;
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      if (typeof ctor?.name === 'string' && ctor.name !== '') return `a ${ctor.name}`;
    }
  }
  return show(value);
}

function clash(name: string, difference: ConfigDifference): TypeError {
  let existing = describe(difference.existing);
  let requested = describe(difference.requested);
  if (existing === requested) {
    existing += ' (one instance)';
    requested += ' (another instance)';
  }
  return new TypeError(
    `Breakwater: breaker "${name}" already exists with a different "${difference.option}" ` +
      `(existing ${existing}, requested ${requested}); breakers that share a name must agree on ` +
      `${SHARED_OPTION_NAMES.join(', ')} (pass the same function, clock and store ` +
      'objects), or use another name',
  );
}

/**
 * Returns `registry`'s breaker named `options.name`, creating it (in that registry) when there is
 * none; an unnamed breaker is always new. Backs {@link BreakerRegistry.obtain}. Throws a
 * `TypeError` naming the option that differs when a breaker of that name exists with other
 * options: every option must agree but `name`, `registry` (the one looked in) and `logger` (the
 * first breaker's is kept); `isFailure`, `clock` and `store` must be the very same objects. A
 * keyed breaker's name (`<family>:<key>`) cannot be taken.
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
  if (existing.key !== undefined) {
    throw new TypeError(
      `Breakwater: "${existing.name}" is the name of a keyed breaker (key ${show(existing.key)}); ` +
        'choose another name',
    );
  }
  const difference = configDifference(existing.config, config);
  if (difference !== undefined) throw clash(existing.name, difference);
  return existing;
}
