// Reads a Retry-After field value (delay-seconds or HTTP-date, RFC 9110 §10.2.3) defensively.

import { isDayName, parseHttpDate } from './http-date.js';

/** What a `Retry-After` delay is measured against. */
export interface RetryAfterReference {
  /** The client's clock, epoch ms. */
  readonly now: number;
  /**
   * The response's `Date` header, if any. An HTTP-date `Retry-After` is measured from it, so a skewed
   * client clock does not stretch or shrink the wait; without a usable `Date`, from `now`.
   */
  readonly date?: string | null;
}

// delay-seconds is 1*DIGIT; a fractional value is not allowed by the RFC but is seen in the wild,
// so it is accepted and rounded up to whole seconds. Signs, exponents, hex and units are garbage.
const DELAY_SECONDS = /^(\d+)(?:\.\d+)?$/;

/**
 * The delay a `Retry-After` value asks for, in milliseconds, or `undefined` when no member of it
 * parses. The result is not clamped: it may be negative (a date in the past) or `Infinity` (absurdly
 * many digits); pass it through {@link clampDelay}. A field sent several times arrives joined by
 * commas: every member that parses counts and the longest delay wins.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  reference: RetryAfterReference,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text.length === 0 || text.length > 512) return undefined;
  let result: number | undefined;
  const take = (delay: number | undefined): void => {
    if (delay !== undefined && (result === undefined || delay > result)) result = delay;
  };
  const tokens = text.split(',');
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!.trim();
    // An IMF-fixdate or RFC 850 date has a comma after its day name: put the halves back together.
    if (isDayName(token) && i + 1 < tokens.length) {
      take(dateDelay(`${token},${tokens[i + 1]}`, reference));
      i += 1;
      continue;
    }
    const seconds = DELAY_SECONDS.exec(token);
    if (seconds) {
      take(Math.ceil(Number(token)) * 1000);
      continue;
    }
    take(dateDelay(token, reference));
  }
  return result;
}

function dateDelay(text: string, reference: RetryAfterReference): number | undefined {
  const at = parseHttpDate(text, reference.now);
  if (at === undefined) return undefined;
  const date = reference.date ? parseHttpDate(reference.date, reference.now) : undefined;
  return at - (date ?? reference.now);
}

/** Bounds a delay to `[min, max]` milliseconds; `undefined` or `NaN` become `fallback` (also bounded). */
export function clampDelay(
  delay: number | undefined,
  min: number,
  max: number,
  fallback: number = min,
): number {
  const value = delay === undefined || Number.isNaN(delay) ? fallback : delay;
  return Math.min(max, Math.max(min, value));
}
