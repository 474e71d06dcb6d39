// Spreads retry waits out so that clients told the same Retry-After do not all return at once.

/**
 * How a retry wait is spread above the server's `Retry-After` (a client never comes back earlier
 * than asked): `'none'` waits exactly that long; `'full'` waits a uniform time between it and twice
 * it; `'decorrelated'` waits a uniform time between it and three times the previous wait (the
 * "decorrelated jitter" of AWS's backoff study, floored at the server's delay).
 */
export type JitterMode = 'none' | 'full' | 'decorrelated';

/**
 * The wait before the next attempt, in ms, never below `delay` (unless `delay` exceeds `cap`) nor above `cap`.
 *
 * @param delay - what the server asked for, ms
 * @param previous - the previous wait (0 before the first retry)
 * @param random - a number in [0, 1)
 */
export function jitteredDelay(
  mode: JitterMode,
  delay: number,
  previous: number,
  cap: number,
  random: number,
): number {
  let wait: number;
  if (mode === 'full') wait = delay + random * delay;
  else if (mode === 'decorrelated') {
    const high = Math.max(delay, previous * 3);
    wait = delay + random * (high - delay);
  } else wait = delay;
  return Math.min(cap, Math.max(delay, wait));
}
