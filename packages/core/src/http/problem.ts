// The RFC 9457 problem+json body and the full 503 short-circuit response.

import type { Rejection } from '../permit.js';
import { wireState, type WireState } from '../state.js';
import { EXPOSED_HEADERS, retryAfterSeconds } from './headers.js';

/** The `type` URI of Breakwater's problem documents. */
export const PROBLEM_TYPE = 'urn:breakwater:problem:circuit-open';

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
}

/** The problem document for a rejection. */
export function problemDetails(rejection: Rejection): CircuitOpenProblem {
  const state = wireState(rejection.state);
  const retryAfter = retryAfterSeconds(rejection.retryAfterMs);
  return {
    type: PROBLEM_TYPE,
    title: 'Service Unavailable',
    status: 503,
    detail:
      state === 'half-open'
        ? `Circuit breaker "${rejection.breaker}" is testing recovery with its probe requests; retry in ${retryAfter} s.`
        : `Circuit breaker "${rejection.breaker}" is open after recent failures; retry in ${retryAfter} s.`,
    breaker: rejection.breaker,
    state,
    retryAfter,
  };
}

/** A response ready to write: status, headers (canonical names) and body. */
export interface RejectionResponse {
  readonly status: 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The last response built for each (reused) rejection, with the Retry-After second it is for. */
const built = new WeakMap<Rejection, { seconds: number; response: RejectionResponse }>();

/**
 * The whole 503 short-circuit response for a rejection (adapters add `Date` through the framework).
 * Built once per rejection and Retry-After second, then reused: treat it as read-only (it is frozen).
 */
export function rejectionResponse(rejection: Rejection): RejectionResponse {
  const seconds = retryAfterSeconds(rejection.retryAfterMs);
  const last = built.get(rejection);
  if (last !== undefined && last.seconds === seconds) return last.response;
  const problem = problemDetails(rejection);
  const body = JSON.stringify(problem);
  const response: RejectionResponse = Object.freeze({
    status: 503,
    headers: Object.freeze({
      'Retry-After': String(problem.retryAfter),
      'X-Circuit-Breaker-State': problem.state,
      'Content-Type': 'application/problem+json',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    }),
    body,
  });
  built.set(rejection, { seconds, response });
  return response;
}
