// Header names and values of the HTTP contract, shared by every adapter.

/** Carries the breaker's state on every guarded response. */
export const STATE_HEADER = 'X-Circuit-Breaker-State';
/** Lower-case form, for frameworks that want it. */
export const STATE_HEADER_LOWER = 'x-circuit-breaker-state';
/** RFC 9110 §10.2.3. */
export const RETRY_AFTER_HEADER = 'Retry-After';
/** The headers a cross-origin browser client must be allowed to read. */
export const EXPOSED_HEADERS = 'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope';

/**
 * Merges our headers into an existing `Access-Control-Expose-Headers` value, keeping what is there,
 * adding each of ours once (case-insensitively), and leaving `*` alone.
 */
export function mergeExposeHeaders(
  existing: string | readonly string[] | number | undefined,
): string {
  if (existing === undefined || existing === '') return EXPOSED_HEADERS;
  const current = (Array.isArray(existing) ? existing.join(',') : String(existing))
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  const lower = new Set(current.map((h) => h.toLowerCase()));
  if (lower.has('*')) return current.join(', ');
  for (const header of ['Retry-After', 'X-Circuit-Breaker-State', 'X-Circuit-Breaker-Scope']) {
    if (!lower.has(header.toLowerCase())) current.push(header);
  }
  return current.join(', ');
}

/**
 * `Retry-After` in whole seconds: the remaining time rounded **up**, and at least 1, so that a
 * client that waits exactly that long arrives once the breaker admits a probe (never a second
 * early, which would cost it another 503). `NaN` and times ≤ 1000 ms give 1.
 *
 * @example
 * retryAfterSeconds(4_300); // 5
 * retryAfterSeconds(5_000); // 5
 */
export function retryAfterSeconds(retryAfterMs: number): number {
  if (!(retryAfterMs > 1000)) return 1;
  return Math.ceil(retryAfterMs / 1000);
}
