// Option checks that throw a TypeError/RangeError naming the option, the value and what is allowed.

/** A short, readable form of an option value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws a TypeError for option `name`. */
export function invalid(name: string, value: unknown, allowed: string): never {
  throw new TypeError(`Breakwater: option "${name}" must be ${allowed}; received ${show(value)}`);
}

/** A whole number ≥ `min` (and ≤ `max`), or the default when `undefined`. */
export function integer(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(
      name,
      value,
      `an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'Number.MAX_SAFE_INTEGER' : max}`,
    );
  }
  return value;
}

/** A finite number of milliseconds > 0 (≤ 2^31-1, the most a Node timer takes), or `undefined`. */
export function duration(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2_147_483_647) {
    invalid(name, value, 'a number of milliseconds > 0 and ≤ 2147483647');
  }
  return value;
}

/** A percentage in (0, 100], or `undefined`. */
export function percent(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value <= 100))
    invalid(name, value, 'a percentage in (0, 100]');
  return value;
}

/** A function, or `undefined`. */
export function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') invalid(name, value, 'a function');
  return value as F;
}

/** A non-empty string, or `undefined`. */
export function optionalName(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    invalid(name, value, 'a non-empty string of at most 512 characters');
  }
  return value;
}

/**
 * The option names `options` offers: its own enumerable string keys, plus every string key of its
 * prototypes below `Object.prototype` (a class's getters, an `Object.create(defaults)` base), so
 * that inherited options are read, or rejected, never silently dropped. `constructor` is skipped.
 */
export function optionNames(options: object): Set<string> {
  const names = new Set(Object.keys(options));
  for (
    let proto: unknown = Object.getPrototypeOf(options);
    proto !== null && proto !== Object.prototype && typeof proto === 'object';
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor') names.add(name);
    }
  }
  return names;
}

/**
 * A plain copy of `options` holding each of the `known` names whose value (read as
 * `options[name]`, so inherited and getter-backed options count) is not `undefined`.
 */
export function readOptions<T extends object>(options: T, known: Iterable<string>): Partial<T> {
  const copy: Record<string, unknown> = {};
  for (const name of known) {
    const value: unknown = (options as Record<string, unknown>)[name];
    if (value !== undefined) copy[name] = value;
  }
  return copy as Partial<T>;
}

/**
 * Throws for option names of `options` (own or inherited, see {@link optionNames}) that are not in
 * `known` (catches typos such as `failureTreshold`).
 */
export function rejectUnknown(options: object, known: ReadonlySet<string>, where: string): void {
  for (const key of optionNames(options)) {
    if (!known.has(key)) {
      throw new TypeError(`Breakwater: unknown option "${key}" in ${where}`);
    }
  }
}
