// Same name, same breaker: how middleware instances that guard one dependency trip together.

import { CircuitBreaker } from './circuit-breaker.js';
import {
  configDifference,
  parseBreakerOptions,
  SHARED_OPTION_NAMES,
  type ConfigDifference,
} from './configuration.js';
import type { BreakerOptions } from './options.js';
import { defaultRegistry } from './registry.js';
import { memoryStore } from './store.js';
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
      `${[...SHARED_OPTION_NAMES, 'store'].join(', ')} (pass the same function, clock and store ` +
      'objects), or use another name',
  );
}

/**
 * Returns the registry's breaker named `options.name`, creating it when there is none. An unnamed
 * breaker is always new. Throws a `TypeError` naming the option that differs when a breaker of
 * that name exists with other options: every option must agree but `name`, `registry` (the one
 * looked in) and `logger` (the first breaker's is kept); `isFailure`, `clock` and `store` must be
 * the very same objects. A keyed breaker's name (`<family>:<key>`) cannot be taken.
 */
export function obtainBreaker(options: BreakerOptions = {}): CircuitBreaker {
  const registry = options.registry === false ? undefined : (options.registry ?? defaultRegistry);
  const existing = options.name === undefined ? undefined : registry?.get(options.name);
  if (existing === undefined) return new CircuitBreaker(options);
  if (existing.key !== undefined) {
    throw new TypeError(
      `Breakwater: "${existing.name}" is the name of a keyed breaker (key ${show(existing.key)}); ` +
        'choose another name',
    );
  }
  const difference =
    configDifference(existing.config, parseBreakerOptions(options)) ??
    (existing.store === (options.store ?? memoryStore)
      ? undefined
      : { option: 'store', existing: existing.store, requested: options.store ?? memoryStore });
  if (difference !== undefined) throw clash(existing.name, difference);
  return existing;
}
