// optionsFromEnv(): breaker options from environment variables, global and per breaker name, validated at start-up.

import { parseBreakerOptions } from '../configuration.js';
import type { BreakerOptions } from '../options.js';
import { invalid } from '../validate.js';
import { ENV_OPTIONS, envName, type EnvOption } from './env-names.js';

/** Options of {@link optionsFromEnv}. */
export interface EnvOptionsOptions {
  /** The prefix every variable starts with. @defaultValue `'BREAKWATER_'` */
  prefix?: string;
}

/** Breaker options read from the environment. */
export interface EnvBreakerOptions {
  /** Options every breaker gets (`<prefix><OPTION>`). */
  readonly defaults: Readonly<BreakerOptions>;
  /** The defaults with the options of breaker `name` over them (`<prefix><NAME>_<OPTION>`). */
  byName(name: string): BreakerOptions;
  /** The variable names of the breakers named in the environment (e.g. `PAYMENTS`). */
  readonly names: readonly string[];
}

/** One option read from one variable. */
interface Setting {
  readonly variable: string;
  readonly text: string;
  readonly spec: EnvOption;
}

function value(setting: Setting): unknown {
  const { text, spec } = setting;
  if (spec.kind === 'mode') return text;
  const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : text;
  if (spec.kind === 'window-size') return { type: 'count', size: number };
  if (spec.kind === 'window-duration') return { type: 'time', duration: number };
  return number;
}

function fail(settings: readonly Setting[], error: unknown): never {
  const which = settings.map((s) => `${s.variable}=${JSON.stringify(s.text)}`).join(', ');
  const reason =
    error instanceof Error ? error.message.replace(/^Breakwater: /, '') : String(error);
  throw new TypeError(
    `Breakwater: environment variable${settings.length > 1 ? 's' : ''} ${which} invalid: ${reason}`,
  );
}

/** The options `settings` make, each variable checked alone first, then together. */
function build(settings: readonly Setting[], base: BreakerOptions = {}): BreakerOptions {
  const options: Record<string, unknown> = {};
  for (const setting of settings) {
    const option = setting.spec.option;
    if (option in options) {
      fail(
        settings.filter((s) => s.spec.option === option),
        'they set the same option',
      );
    }
    const alone: Record<string, unknown> = { [option]: value(setting), registry: false };
    // Companions that make one value checkable alone
    if (option === 'slowCallRateThreshold') alone.slowCallDurationThreshold = 1;
    if (option === 'maxOpenDuration') alone.openDuration = 1;
    try {
      parseBreakerOptions(alone as BreakerOptions);
    } catch (error) {
      fail([setting], error);
    }
    options[option] = alone[option];
  }
  try {
    parseBreakerOptions({ ...base, ...options, registry: false });
  } catch (error) {
    fail(settings, error);
  }
  return options as BreakerOptions;
}

/**
 * Reads breaker options from environment variables: `<prefix><OPTION>` for every breaker and
 * `<prefix><NAME>_<OPTION>` for the breaker named `name` (see {@link envName}), where OPTION is
 * one of `FAILURE_THRESHOLD`, `FAILURE_RATE_THRESHOLD`, `SLOW_CALL_DURATION_THRESHOLD`,
 * `SLOW_CALL_RATE_THRESHOLD`, `WINDOW_SIZE` (a count window), `WINDOW_DURATION` (a time window),
 * `MINIMUM_CALLS`, `OPEN_DURATION`, `MAX_OPEN_DURATION`, `HALF_OPEN_MAX_CALLS`,
 * `SUCCESS_THRESHOLD`, `TIMEOUT`, `MODE`, `OPEN_DURATION_JITTER`. Each value is validated exactly
 * as the option in code, alone and merged with the defaults: a bad one throws a `TypeError`
 * naming the variable and its value, here, at start-up. Variables with the prefix that end in no
 * known OPTION are left alone (other settings may share the prefix); an empty value counts as
 * unset. The longest OPTION wins: `<prefix>MAX_OPEN_DURATION` is the global `maxOpenDuration`.
 *
 * @example
 * // BREAKWATER_FAILURE_THRESHOLD=5 BREAKWATER_PAYMENTS_FAILURE_THRESHOLD=3
 * const env = optionsFromEnv(process.env);
 * app.use('/pay', circuitBreaker({ name: 'payments', ...env.byName('payments') }));
 */
export function optionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: EnvOptionsOptions = {},
): EnvBreakerOptions {
  const prefix = options.prefix ?? 'BREAKWATER_';
  if (typeof prefix !== 'string') invalid('prefix', prefix, 'a string');
  const global: Setting[] = [];
  const named = new Map<string, Setting[]>();
  for (const [variable, text] of Object.entries(env)) {
    if (!variable.startsWith(prefix) || text === undefined || text.trim() === '') continue;
    const rest = variable.slice(prefix.length);
    const spec = ENV_OPTIONS.find((o) => rest === o.suffix || rest.endsWith(`_${o.suffix}`));
    if (spec === undefined) continue;
    const setting: Setting = { variable, text: text.trim(), spec };
    if (rest === spec.suffix) global.push(setting);
    else {
      const name = rest.slice(0, -spec.suffix.length - 1);
      let list = named.get(name);
      if (list === undefined) named.set(name, (list = []));
      list.push(setting);
    }
  }
  const defaults = Object.freeze(build(global));
  const byName = new Map<string, BreakerOptions>();
  for (const [name, settings] of named) {
    byName.set(name, Object.freeze({ ...defaults, ...build(settings, defaults) }));
  }
  return {
    defaults,
    byName: (name) => ({ ...(byName.get(envName(name)) ?? defaults) }),
    names: Object.freeze([...named.keys()]),
  };
}
