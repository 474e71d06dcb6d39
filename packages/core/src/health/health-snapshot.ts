// healthSnapshot(): every breaker of a registry as JSON, with an overall status, for health endpoints.

import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import type { BreakerSnapshot } from '../snapshot.js';
import type { CircuitState } from '../state.js';

/** What a health endpoint reports: an overall status, breakers per state, and every breaker. */
export interface HealthSnapshot {
  /** `ok` while every breaker is closed or disabled; `degraded` while any is open, half-open or forced-open. */
  readonly status: 'ok' | 'degraded';
  /** Wall-clock time of the snapshot (ms since the epoch). */
  readonly at: number;
  /** How many breakers are in each state. */
  readonly states: Readonly<Record<CircuitState, number>>;
  /** Every breaker: state, counts, window rates, reopen time, last transition. */
  readonly breakers: readonly BreakerSnapshot[];
}

/** Headers of a health or readiness response: JSON, never cached. */
export const HEALTH_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
});

/** A health or readiness response ready to write: status, headers (canonical names) and a JSON-ready body. */
export interface HealthResponse<B> {
  readonly status: 200 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: B;
}

/**
 * A JSON-ready picture of every breaker of `registry`. Reading it applies the transitions time has
 * made due (an open breaker whose open duration has passed shows as `half-open`).
 *
 * @param registry - whose breakers; default core's process-wide `defaultRegistry`
 * @example
 * app.get('/health/breakers', (_req, res) => res.json(healthSnapshot()));
 */
export function healthSnapshot(registry: BreakerRegistry = defaultRegistry): HealthSnapshot {
  const { at, breakers } = registry.snapshot();
  const states: Record<CircuitState, number> = {
    closed: 0,
    open: 0,
    'half-open': 0,
    'forced-open': 0,
    disabled: 0,
  };
  for (const breaker of breakers) states[breaker.state]++;
  const degraded = states.open + states['half-open'] + states['forced-open'] > 0;
  return { status: degraded ? 'degraded' : 'ok', at, states, breakers };
}

/**
 * {@link healthSnapshot} as a response: always `200` (the process is alive; the body tells how its
 * dependencies are doing), JSON, `Cache-Control: no-store`.
 *
 * @example
 * // Express
 * app.get('/health', (_req, res) => {
 *   const { status, headers, body } = healthResponse();
 *   res.status(status).set(headers).send(JSON.stringify(body));
 * });
 */
export function healthResponse(registry?: BreakerRegistry): HealthResponse<HealthSnapshot> {
  return { status: 200, headers: HEALTH_HEADERS, body: healthSnapshot(registry) };
}
