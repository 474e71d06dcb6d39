// The local 503 a backing-off scope answers with: the server's headers and problem+json shape, no network.

import {
  CLIENT_HEADER,
  PROBLEM_TYPE,
  RETRY_AFTER_HEADER,
  SCOPE_HEADER,
  SHORT_CIRCUIT,
  STATE_HEADER,
} from './headers.js';
import type { BackoffState } from './scope-table.js';
import { formatScope, type BreakerScope } from './server-scope.js';

/** The RFC 9457 body of a local short-circuit, shaped like the server's circuit-open problem. */
export interface ShortCircuitProblem {
  readonly type: string;
  readonly title: 'Service Unavailable';
  readonly status: 503;
  readonly detail: string;
  /** The scope key the client is backing off from (the server's body names its breaker here). */
  readonly breaker: string;
  readonly state: BackoffState;
  /** Whole seconds until the client will try the network again, at least 1. */
  readonly retryAfter: number;
  /** The methods and path pattern the client is backing off from, when it can state them (as the server's body does). */
  readonly scope?: BreakerScope;
}

/** Whole seconds for a `Retry-After` header: the remaining time rounded up, at least 1 (the contract's rule). */
export function wholeSeconds(ms: number): number {
  return ms > 1000 ? Math.ceil(ms / 1000) : 1;
}

/** The problem document for a short-circuit of `scope`. */
export function shortCircuitProblem(
  scope: string,
  state: BackoffState,
  retryAfterMs: number,
  serverScope?: BreakerScope,
): ShortCircuitProblem {
  const retryAfter = wholeSeconds(retryAfterMs);
  const problem: ShortCircuitProblem = {
    type: PROBLEM_TYPE,
    title: 'Service Unavailable',
    status: 503,
    detail:
      state === 'open'
        ? `The server's circuit breaker for ${scope} is open; the client is backing off for ${retryAfter} s without calling it.`
        : `The server's circuit breaker for ${scope} is testing recovery and this client's probe is in flight; retry in ${retryAfter} s.`,
    breaker: scope,
    state,
    retryAfter,
  };
  return serverScope === undefined ? problem : { ...problem, scope: serverScope };
}

/**
 * Builds the local `503` response, marked with `X-Breakwater-Client: short-circuit` (no body for
 * `HEAD`), with `X-Circuit-Breaker-Scope` and the body's `scope` when the scope can be stated.
 */
export function shortCircuitResponse(
  scope: string,
  state: BackoffState,
  retryAfterMs: number,
  method = 'GET',
  serverScope?: BreakerScope,
): Response {
  const problem = shortCircuitProblem(scope, state, retryAfterMs, serverScope);
  const headers: Record<string, string> = {
    [RETRY_AFTER_HEADER]: String(problem.retryAfter),
    [STATE_HEADER]: state,
    [CLIENT_HEADER]: SHORT_CIRCUIT,
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
  };
  if (serverScope !== undefined) headers[SCOPE_HEADER] = formatScope(serverScope);
  return new Response(method === 'HEAD' ? null : JSON.stringify(problem), {
    status: 503,
    statusText: 'Service Unavailable',
    headers,
  });
}

/** Whether `response` is a local short-circuit made by this package (not a server answer). */
export function isShortCircuit(response: Response): boolean {
  return response.headers.get(CLIENT_HEADER) === SHORT_CIRCUIT;
}
