// The default failure classification shared by every adapter.

import type { CallOutcome } from '../options.js';

/** A call failed when it threw or rejected, or answered with a 5xx status. */
export function defaultIsFailure(outcome: CallOutcome): boolean {
  return outcome.error !== undefined || (outcome.status !== undefined && outcome.status >= 500);
}
