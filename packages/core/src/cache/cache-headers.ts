// Header handling for the fallback cache: end-to-end headers to store, Vary names and request variants.

import { headerText, type RawHeaderValue } from './cache-control.js';

/** Response headers as adapters hand them over (e.g. Node's `res.getHeaders()`). */
export type ResponseHeadersInput = Readonly<Record<string, RawHeaderValue | null>>;

/** Request headers as Node parses them: lower-case names. */
export type RequestHeadersInput = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Stored headers: lower-case name → value (`string[]` for repeated fields such as `link`). */
export type StoredHeaders = Readonly<Record<string, string | readonly string[]>>;

/**
 * Headers never stored: hop-by-hop fields (RFC 9110 §7.6.1), our own breaker-state header, and
 * `date`/`age`, which describe the original transmission and are regenerated when serving.
 */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'x-circuit-breaker-state',
  'date',
  'age',
]);

/** Most request headers a `Vary` may name before the response is refused (keys stay small). */
export const MAX_VARY_NAMES = 16;

/** Longest variant signature (the Vary'd request header values together) a stored response may have. */
export const MAX_VARIANT_LENGTH = 8192;

/**
 * Copies the end-to-end headers of a response: names lower-cased, values as strings, hop-by-hop
 * fields (and those named in `Connection`), `proxy-*`, `X-Circuit-Breaker-State`, `Date` and
 * `Age` dropped. `Set-Cookie` is kept so the caller can refuse the response (it is never stored).
 */
export function endToEndHeaders(headers: ResponseHeadersInput): Record<string, string | string[]> {
  // A plain object (fast to copy when serving); `__proto__` can never be a stored name.
  let out: Record<string, string | string[]> = {};
  let connection: string | undefined;
  for (const rawName in headers) {
    const value = headers[rawName];
    if (value === undefined || value === null) continue;
    let name = rawName;
    for (let i = 0; i < rawName.length; i++) {
      const c = rawName.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        name = rawName.toLowerCase();
        break;
      }
    }
    if (name === 'connection') {
      connection = headerText(value as RawHeaderValue);
      continue;
    }
    if (DROPPED.has(name) || name.startsWith('proxy-') || name === '__proto__') continue;
    const copy: string | string[] = Array.isArray(value)
      ? value.map(String)
      : String(value as string | number);
    const existing = out[name];
    out[name] = existing === undefined ? copy : [...[existing].flat(), ...[copy].flat()];
  }
  if (connection !== undefined) {
    // Rare: drop the fields the Connection header names (rebuilt, not `delete`d, to stay fast).
    const named = new Set(connection.split(',').map((token) => token.trim().toLowerCase()));
    const kept: Record<string, string | string[]> = {};
    for (const name in out) if (!named.has(name)) kept[name] = out[name]!;
    out = kept;
  }
  return out;
}

/**
 * The request header names a `Vary` value lists: lower-cased, de-duplicated, sorted. Returns `'*'`
 * for `Vary: *` and `undefined` when the list is too long to key on safely.
 */
export function varyNames(value: RawHeaderValue): readonly string[] | '*' | undefined {
  const text = headerText(value);
  if (text === undefined) return EMPTY;
  const known = varyMemo.get(text);
  if (known !== undefined) return known === TOO_LONG ? undefined : known;
  const parsed = parseVary(text);
  if (varyMemo.size >= 256) varyMemo.clear();
  varyMemo.set(text, parsed ?? TOO_LONG);
  return parsed;
}

function parseVary(text: string): readonly string[] | '*' | undefined {
  if (text.length > 4096) return undefined;
  const names = new Set<string>();
  for (const token of text.split(',')) {
    const name = token.trim().toLowerCase();
    if (name.length === 0) continue;
    if (name === '*') return '*';
    names.add(name);
    if (names.size > MAX_VARY_NAMES) return undefined;
  }
  return names.size === 0 ? EMPTY : Object.freeze([...names].sort());
}

/** Recently parsed Vary values (responses of one route repeat theirs); cleared when full. */
const varyMemo = new Map<string, readonly string[] | '*' | typeof TOO_LONG>();
const TOO_LONG = Symbol('too long');

const EMPTY: readonly string[] = Object.freeze([]);

/** Optional whitespace around the commas of a list value. */
const LIST_OWS = /[ \t]*,[ \t]*/g;

/**
 * The variant signature of a request for the given Vary'd header names: each value with repeated
 * lines joined and optional whitespace around commas removed (RFC 9111 §4.1 allows this
 * normalisation), length-prefixed so no value can imitate another, `-` for an absent header.
 * Values are NOT case-folded: for an arbitrary header, two values that differ only in case may
 * belong to different users.
 */
export function variantOf(headers: RequestHeadersInput, names: readonly string[]): string {
  if (names.length === 0) return '';
  let signature = '';
  for (const name of names) {
    // Own, typed values only: a hostile `Vary: __proto__` must not reach Object.prototype.
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
    const joined =
      typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : undefined;
    if (joined === undefined) {
      signature += '-;';
      continue;
    }
    const text = joined.indexOf(',') === -1 ? joined.trim() : joined.replace(LIST_OWS, ',').trim();
    signature += `${text.length}:${text};`;
  }
  return signature;
}
