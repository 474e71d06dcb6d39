// readiness(): 503 while a breaker the user marks critical is open or forced-open, for readiness probes.

import type { CircuitBreaker } from '../circuit-breaker.js';
import { retryAfterSeconds } from '../http/headers.js';
import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import type { CircuitState } from '../state.js';
import { HEALTH_HEADERS, type HealthResponse } from './health-snapshot.js';

/** Options of {@link readiness}. */
export interface ReadinessOptions {
  /**
   * The breakers whose opening makes the service unready: their names (exact; a keyed breaker is
   * `<name>:<key>`), or a predicate over each breaker of the registry.
   */
  critical: readonly string[] | ((breaker: CircuitBreaker) => boolean);
}

/** A critical breaker that keeps the service unready. */
export interface UnavailableBreaker {
  readonly name: string;
  readonly key: string | null;
  readonly state: CircuitState;
  /**
   * Whole milliseconds (rounded up) until it admits a probe; for `forced-open`, its open duration
   * as a hint (only a reset ends it), the same value its snapshot and its 503s give.
   */
  readonly retryAfterMs: number;
}

/** The body of a readiness response. */
export interface ReadinessBody {
  readonly status: 'ready' | 'unready';
  /** Wall-clock time of the check (ms since the epoch). */
  readonly at: number;
  /** How many breakers of the registry are critical. */
  readonly critical: number;
  /** The critical breakers that are open or forced-open. */
  readonly unavailable: readonly UnavailableBreaker[];
}

function isCriticalFilter(
  critical: ReadinessOptions['critical'],
): (breaker: CircuitBreaker) => boolean {
  if (typeof critical === 'function') return critical;
  if (!Array.isArray(critical)) {
    throw new TypeError(
      `readiness: options.critical must be an array of breaker names or a function, received ${String(critical)}`,
    );
  }
  const names = new Set(critical);
  return (breaker) => names.has(breaker.name);
}

/**
 * A readiness check: `503` while any critical breaker is `open` or `forced-open` (with
 * `Retry-After`: seconds until the last of them admits a probe, rounded up as on a short-circuit
 * 503, so a prober that waits it finds them admitting; a forced open counts its open duration), else
 * `200`. A `half-open`
 * breaker counts as ready: it is letting probes through. Names that match no breaker are ignored,
 * so a lazily created breaker is fine.
 *
 * @param registry - whose breakers; default core's process-wide `defaultRegistry`
 * @example
 * // Koa
 * router.get('/ready', (ctx) => {
 *   const { status, headers, body } = readiness({ critical: ['payments'] });
 *   ctx.status = status;
 *   ctx.set(headers);
 *   ctx.body = body;
 * });
 */
export function readiness(options: ReadinessOptions): HealthResponse<ReadinessBody>;
export function readiness(
  registry: BreakerRegistry | undefined,
  options: ReadinessOptions,
): HealthResponse<ReadinessBody>;
export function readiness(
  first: BreakerRegistry | ReadinessOptions | undefined,
  second?: ReadinessOptions,
): HealthResponse<ReadinessBody> {
  // Told apart by shape, not instanceof, so a registry from another copy of core still works.
  const firstIsOptions = first !== undefined && 'critical' in first;
  const registry = firstIsOptions || first === undefined ? defaultRegistry : first;
  const options = firstIsOptions ? first : second;
  if (options === undefined) {
    throw new TypeError('readiness: options.critical is required (breaker names or a predicate)');
  }
  const isCritical = isCriticalFilter(options.critical);
  const unavailable: UnavailableBreaker[] = [];
  let critical = 0;
  let longestMs = 0;
  for (const breaker of registry) {
    if (!isCritical(breaker)) continue;
    critical++;
    const state = breaker.state;
    if (state !== 'open' && state !== 'forced-open') continue;
    const retryAfterMs = breaker.retryAfterMs;
    longestMs = Math.max(longestMs, retryAfterMs);
    unavailable.push({ name: breaker.name, key: breaker.key ?? null, state, retryAfterMs });
  }
  const body: ReadinessBody = {
    status: unavailable.length === 0 ? 'ready' : 'unready',
    at: Date.now(),
    critical,
    unavailable,
  };
  if (unavailable.length === 0) return { status: 200, headers: HEALTH_HEADERS, body };
  return {
    status: 503,
    headers: { ...HEALTH_HEADERS, 'Retry-After': String(retryAfterSeconds(longestMs)) },
    body,
  };
}
