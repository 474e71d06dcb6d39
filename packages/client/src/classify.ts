// Reads what a server answer means for back-off: open, half-open (with a clamped delay), or neither.

import { RETRY_AFTER_HEADER, STATE_HEADER } from './headers.js';
import { clampDelay, parseRetryAfter } from './retry-after.js';
import type { Verdict } from './scope-table.js';

/** The bounds applied to every delay an answer asks for. */
export interface ClassifyLimits {
  readonly now: number;
  readonly maxRetryAfter: number;
  readonly honorUnmarked503: boolean;
}

/** The shortest back-off, ms: the contract's `Retry-After` is at least 1 second. */
export const MIN_DELAY_MS = 1000;

/**
 * Classifies a response: a `503` whose `X-Circuit-Breaker-State` says `open` or `half-open` (or, with
 * `honorUnmarked503`, any `503` with a parseable `Retry-After`) means back off for its `Retry-After`,
 * clamped to `[1 s, maxRetryAfter]` (missing or garbage: 1 s); any other answer passes.
 */
export function classifyResponse(response: Response, limits: ClassifyLimits): Verdict {
  if (response.status !== 503) return { kind: 'pass' };
  const state = wireState(response.headers.get(STATE_HEADER));
  const raw = parseRetryAfter(response.headers.get(RETRY_AFTER_HEADER), {
    now: limits.now,
    date: response.headers.get('Date'),
  });
  if (state === undefined && !(limits.honorUnmarked503 && raw !== undefined)) {
    return { kind: 'pass' };
  }
  return {
    kind: state ?? 'open',
    delayMs: clampDelay(raw, MIN_DELAY_MS, limits.maxRetryAfter),
  };
}

/** `open` if any listed value says so, else `half-open` if one does; `closed` and garbage say nothing. */
function wireState(value: string | null): 'open' | 'half-open' | undefined {
  if (value === null || value.length > 256) return undefined;
  const values = value.split(',').map((v) => v.trim().toLowerCase());
  if (values.includes('open')) return 'open';
  if (values.includes('half-open')) return 'half-open';
  return undefined;
}
