// A small, bounded Cache-Control parser: only the directives the fallback cache decides on.

/** A header value as Node and the frameworks hand it over. */
export type RawHeaderValue = string | readonly string[] | number | undefined;

/** The response directives the fallback cache cares about. */
export interface CacheDirectives {
  /** `no-store`: never store. */
  readonly noStore: boolean;
  /** `private` (qualified or not): never store in a shared cache. */
  readonly private: boolean;
  /**
   * `no-cache`, `must-revalidate`, `proxy-revalidate` or `s-maxage`: the origin forbids serving
   * the response stale from a shared cache, so a fallback cache may never use it.
   */
  readonly noStale: boolean;
  /** `stale-if-error=N` in seconds (the smallest when repeated), or `undefined`. */
  readonly staleIfError: number | undefined;
  /** The value could not be parsed (too long, unbalanced quotes): treat it as forbidding storage. */
  readonly malformed: boolean;
}

/** Longest Cache-Control value read; longer ones count as malformed (and so are never stored). */
export const MAX_CACHE_CONTROL_LENGTH = 4096;

const NONE: CacheDirectives = Object.freeze({
  noStore: false,
  private: false,
  noStale: false,
  staleIfError: undefined,
  malformed: false,
});

const MALFORMED: CacheDirectives = Object.freeze({
  noStore: true,
  private: false,
  noStale: false,
  staleIfError: undefined,
  malformed: true,
});

/** Joins repeated header lines the way RFC 9110 §5.3 combines them. */
export function headerText(value: RawHeaderValue): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/**
 * Parses a response `Cache-Control` value. Directive names are case-insensitive; arguments may be
 * quoted (commas inside quotes do not split). Never throws; runs in time linear in the value,
 * which is capped at {@link MAX_CACHE_CONTROL_LENGTH}.
 */
export function parseCacheControl(value: RawHeaderValue): CacheDirectives {
  const text = headerText(value);
  if (text === undefined || text.length === 0) return NONE;
  if (text.length > MAX_CACHE_CONTROL_LENGTH) return MALFORMED;
  const known = memo.get(text);
  if (known !== undefined) return known;
  const parsed = parse(text);
  if (memo.size >= 256) memo.clear();
  memo.set(text, parsed);
  return parsed;
}

/** Recently parsed values (the responses of one route repeat theirs); cleared when full. */
const memo = new Map<string, CacheDirectives>();

function parse(text: string): CacheDirectives {
  let noStore = false;
  let isPrivate = false;
  let noStale = false;
  let staleIfError: number | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Skip separators and whitespace.
    let c = text.charCodeAt(i);
    if (c === 44 || c === 32 || c === 9) {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < n && (c = text.charCodeAt(i)) !== 61 && c !== 44) i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    // A quote where a directive name belongs: the value is broken, so be conservative.
    if (name.includes('"')) return MALFORMED;
    let arg: string | undefined;
    if (i < n && text.charCodeAt(i) === 61) {
      i++;
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i < n && text.charCodeAt(i) === 34) {
        // Quoted string with backslash escapes.
        i++;
        let out = '';
        let closed = false;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === 92 && i + 1 < n) {
            out += text[i + 1];
            i += 2;
          } else if (c === 34) {
            i++;
            closed = true;
            break;
          } else {
            out += text[i];
            i++;
          }
        }
        if (!closed) return MALFORMED;
        arg = out;
        while (i < n && text.charCodeAt(i) !== 44) i++;
      } else {
        const argStart = i;
        while (i < n && text.charCodeAt(i) !== 44) i++;
        arg = text.slice(argStart, i).trim();
      }
    }
    switch (name) {
      case 'no-store':
        noStore = true;
        break;
      case 'private':
        isPrivate = true;
        break;
      case 'no-cache':
      case 'must-revalidate':
      case 'proxy-revalidate':
      case 's-maxage':
        noStale = true;
        break;
      case 'stale-if-error':
        if (arg !== undefined && /^\d{1,10}$/.test(arg)) {
          const seconds = Number(arg);
          staleIfError = staleIfError === undefined ? seconds : Math.min(staleIfError, seconds);
        }
        break;
    }
  }
  if (!noStore && !isPrivate && !noStale && staleIfError === undefined) return NONE;
  return Object.freeze({ noStore, private: isPrivate, noStale, staleIfError, malformed: false });
}

/** Whether a request's `Cache-Control` carries `no-store` (the client forbids storing the response). */
export function requestForbidsStore(value: RawHeaderValue): boolean {
  const text = headerText(value);
  if (text === undefined) return false;
  // Cheap pre-check before the full parse.
  if (!/no-store/i.test(text)) return false;
  return parseCacheControl(text).noStore;
}
