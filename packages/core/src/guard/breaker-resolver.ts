// Which breaker guards a request, for every kind of guard (Node and Web): naming, keys, skips, scopes.

import { CircuitBreaker } from '../circuit-breaker.js';
import { withConfig } from '../configuration.js';
import type { BreakerScope } from '../http/scope.js';
import { KeyedBreakers } from '../keyed-breakers.js';
import { warnOnce } from '../logger.js';
import { nextBreakerName } from '../registry.js';
import type { GuardConfig } from './guard-options.js';

/** Where a request's breaker comes from (one breaker, or a keyed family) and what it covers. */
export interface Route {
  readonly source: CircuitBreaker | KeyedBreakers;
  /** Learnt from the first request that needs it (a short-circuit), unless known at construction. */
  scope: BreakerScope | undefined;
}

/**
 * Resolves breakers for one guard. The breaker's name is the `name` option, else the route name
 * given at construction, else the route name the adapter knows per request (`GET /users/:id`), else
 * a fresh `breaker-N`. Same name, same breaker (within a registry); with `key`, one per key.
 */
export class BreakerResolver<Req> {
  /** The route of a guard whose breaker name is known at construction. */
  readonly fixed: Route | undefined;
  private readonly byName = new Map<string, Route>();
  private unnamed: Route | undefined;

  constructor(
    /** The parsed options. */
    readonly config: GuardConfig<Req>,
    routeName?: string,
    routeScope?: BreakerScope,
  ) {
    const name = config.breaker.name ?? routeName;
    if (name !== undefined) this.fixed = { source: this.create(name), scope: routeScope };
  }

  /** The route for a request whose route name the adapter knows (or not: `undefined`). */
  route(name: string | undefined): Route {
    if (this.fixed !== undefined) return this.fixed;
    if (name === undefined) {
      return (this.unnamed ??= { source: this.create(nextBreakerName()), scope: undefined });
    }
    let route = this.byName.get(name);
    if (route === undefined) {
      route = { source: this.create(name), scope: undefined };
      this.byName.set(name, route);
    }
    return route;
  }

  /** The breaker of `route` for `request`: its key's breaker for a family, `undefined` without a key. */
  breakerOf(route: Route, request: Req): CircuitBreaker | undefined {
    const source = route.source;
    if (!(source instanceof KeyedBreakers)) return source;
    const key = this.keyOf(request);
    return key === undefined ? undefined : source.get(key);
  }

  /** Whether `skip` says so; a `skip` that throws is reported once and the request is guarded. */
  skips(request: Req): boolean {
    try {
      const result = this.config.skip!(request);
      if (typeof result !== 'boolean') {
        this.report(
          'ERR_BREAKWATER_SKIP_INVALID',
          `skip returned ${typeof result}, not a boolean; only true skips`,
        );
      }
      return result === true;
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_SKIP_THREW',
        `skip threw (${String(error)}); the request is guarded`,
      );
      return false;
    }
  }

  /** Every breaker resolved so far. */
  breakers(): CircuitBreaker[] {
    const all: CircuitBreaker[] = [];
    for (const route of [this.fixed, this.unnamed, ...this.byName.values()]) {
      if (route === undefined) continue;
      if (route.source instanceof KeyedBreakers) all.push(...route.source.values());
      else all.push(route.source);
    }
    return all;
  }

  /** Logs `message` once per logger and code. */
  report(code: string, message: string): void {
    warnOnce(this.config.logger, code, message);
  }

  private create(name: string): CircuitBreaker | KeyedBreakers {
    const { breaker, key, maxBreakers } = this.config;
    const registry = breaker.registry;
    if (key !== undefined) {
      return registry !== undefined
        ? registry.family(name, breaker, maxBreakers)
        : new KeyedBreakers(withConfig(breaker, { name }), maxBreakers);
    }
    const named = withConfig(breaker, { name });
    return registry !== undefined ? registry.obtain(named) : new CircuitBreaker(named);
  }

  private keyOf(request: Req): string | undefined {
    try {
      const key = this.config.key!(request);
      if (typeof key === 'string' && key.length > 0) return key;
      this.report(
        'ERR_BREAKWATER_KEY_INVALID',
        `key returned ${typeof key === 'string' ? 'an empty string' : typeof key}, not a non-empty string; the request passes unguarded`,
      );
    } catch (error) {
      this.report(
        'ERR_BREAKWATER_KEY_THREW',
        `key threw (${String(error)}); the request passes unguarded`,
      );
    }
    return undefined;
  }
}
