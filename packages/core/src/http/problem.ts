// The RFC 9457 problem+json body and the full 503 short-circuit response.

import type { Rejection } from '../permit.js';
import { wireState, type WireState } from '../state.js';
import { EXPOSED_HEADERS, retryAfterSeconds } from './headers.js';
import { formatScope, SCOPE_HEADER, type BreakerScope } from './scope.js';

/** The `type` URI of the problem document sent while a breaker is open or half-open. */
export const PROBLEM_TYPE = 'urn:breakwater:problem:circuit-open';

/**
 * The `type` URI of the problem document sent while an operator holds a breaker `forced-open`.
 * Its `Retry-After` (and `retryAfter`) is the breaker's `openDuration`, as a polling hint only:
 * nothing time-based ends a forced open, only an operator's reset.
 */
export const FORCED_OPEN_PROBLEM_TYPE = 'urn:breakwater:problem:circuit-forced-open';

/** The RFC 9457 document sent with a short-circuit 503. */
export interface CircuitOpenProblem {
  readonly type: string;
  readonly title: 'Service Unavailable';
  readonly status: 503;
  readonly detail: string;
  /** The breaker that rejected the request. */
  readonly breaker: string;
  /** Its state as the header tells it. */
  readonly state: WireState;
  /** Seconds until the breaker will admit a probe (the `Retry-After` value). */
  readonly retryAfter: number;
  /**
   * What the breaker covers (the `X-Circuit-Breaker-Scope` header): a route's method and template,
   * a mount prefix, or the whole origin; clients back off only from what is open.
   */
  readonly scope?: BreakerScope;
}

/** The `detail` sentence of a rejection's problem document. */
function detailOf(rejection: Rejection, retryAfter: number): string {
  const breaker = `Circuit breaker "${rejection.breaker}"`;
  if (rejection.state === 'forced-open') {
    return `${breaker} was forced open by an operator; it stays open until it is reset, check again in ${retryAfter} s.`;
  }
  if (rejection.state === 'half-open') {
    return `${breaker} is testing recovery with its probe requests; retry in ${retryAfter} s.`;
  }
  return `${breaker} is open after recent failures; retry in ${retryAfter} s.`;
}

/**
 * The problem document for a rejection: `type` is {@link FORCED_OPEN_PROBLEM_TYPE} for a
 * forced open, else {@link PROBLEM_TYPE}; `state` is the wire state (a forced open shows as `open`,
 * as in `X-Circuit-Breaker-State`); `retryAfter` is the `Retry-After` value.
 */
export function problemDetails(rejection: Rejection, scope?: BreakerScope): CircuitOpenProblem {
  const state = wireState(rejection.state);
  const retryAfter = retryAfterSeconds(rejection.retryAfterMs);
  const problem: CircuitOpenProblem = {
    type: rejection.state === 'forced-open' ? FORCED_OPEN_PROBLEM_TYPE : PROBLEM_TYPE,
    title: 'Service Unavailable',
    status: 503,
    detail: detailOf(rejection, retryAfter),
    breaker: rejection.breaker,
    state,
    retryAfter,
  };
  return scope === undefined ? problem : { ...problem, scope };
}

/** A response ready to write: status, headers (canonical names) and body. */
export interface RejectionResponse {
  readonly status: 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The last response built for each (reused) rejection, with the Retry-After second and scope it is for. */
const built = new WeakMap<
  Rejection,
  { seconds: number; scope: BreakerScope | undefined; response: RejectionResponse }
>();

/**
 * The whole 503 short-circuit response for a rejection (adapters add `Date` through the framework),
 * with the breaker's `scope` in `X-Circuit-Breaker-Scope` and the body when given. Built once per
 * rejection, Retry-After second and scope, then reused: treat it as read-only (it is frozen).
 */
export function rejectionResponse(rejection: Rejection, scope?: BreakerScope): RejectionResponse {
  const seconds = retryAfterSeconds(rejection.retryAfterMs);
  const last = built.get(rejection);
  if (last !== undefined && last.seconds === seconds && last.scope === scope) return last.response;
  const problem = problemDetails(rejection, scope);
  const body = JSON.stringify(problem);
  const headers: Record<string, string> = {
    'Retry-After': String(problem.retryAfter),
    'X-Circuit-Breaker-State': problem.state,
  };
  if (scope !== undefined) headers[SCOPE_HEADER] = formatScope(scope);
  headers['Content-Type'] = 'application/problem+json';
  headers['Content-Length'] = String(Buffer.byteLength(body));
  headers['Cache-Control'] = 'no-store';
  headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  const response: RejectionResponse = Object.freeze({
    status: 503,
    headers: Object.freeze(headers),
    body,
  });
  built.set(rejection, { seconds, scope, response });
  return response;
}
