// The shared state record: what the state key holds and what the channel carries, and its parser.

/** A breaker's fleet-wide state as stored in Redis and published on the channel. */
export interface StateRecord {
  /** The breaker's name. */
  readonly n: string;
  /** `open` or `closed` (half-open is implied: an `open` whose reopen time has passed). */
  readonly s: 'open' | 'closed';
  /** For `open`: wall-clock ms at which a probe may be admitted; 0 for `closed`. */
  readonly r: number;
  /** Version: Redis server time in ms, strictly increasing per key; orders records. */
  readonly v: number;
  /** Which store instance (and breaker) wrote it. */
  readonly o: string;
}

/**
 * Parses a record from the state key or the channel. Anything malformed (not JSON, wrong shape,
 * wrong types, absurd numbers) yields `undefined`; it never throws.
 */
export function parseRecord(raw: unknown): StateRecord | undefined {
  if (typeof raw !== 'string' || raw.length > 65_536) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { n, s, r, v, o } = value as Record<string, unknown>;
  if (typeof n !== 'string' || n.length === 0) return undefined;
  if (s !== 'open' && s !== 'closed') return undefined;
  if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  if (typeof o !== 'string') return undefined;
  return { n, s, r, v, o };
}
