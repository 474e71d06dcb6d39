// The default failure classification, the same for every adapter and for execute().

import type { CallOutcome } from '../options.js';

/**
 * The HTTP status an error carries (`status`, else `statusCode`, as Koa's and Fastify's error
 * handling read it), when it is a whole number from 100 to 599.
 */
export function errorStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const carrier = error as { status?: unknown; statusCode?: unknown };
  const status = carrier.status ?? carrier.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

/**
 * A call failed when it answered with a 5xx status, or threw an error that does not carry a 4xx
 * status: an error with `status`/`statusCode` 400–499 (a thrown 404, a validation 400) is that
 * status, never a failure.
 */
export function defaultIsFailure(outcome: CallOutcome): boolean {
  if (outcome.status !== undefined && outcome.status >= 500) return true;
  if (outcome.error === undefined) return false;
  const status = errorStatus(outcome.error);
  return status === undefined || status < 400 || status >= 500;
}
