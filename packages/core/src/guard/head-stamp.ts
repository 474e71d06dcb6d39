// Adds the state and expose headers to a Node response head as it is written (one pass, no merge).

import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import { headerOf, type HeaderSource } from './node-response.js';

// Lower-case names: headerOf reads them as given (Node's getHeader would lower-case a copy per call).
const EXPOSE = 'access-control-expose-headers';
const STATE = 'x-circuit-breaker-state';

/** The part of a Node response (HTTP/1 or HTTP/2) a head stamp reads and writes. */
export interface StampedResponse extends HeaderSource {
  setHeader(name: string, value: string): unknown;
}

/**
 * Adds `X-Circuit-Breaker-State: state` (unless the head already has one) and the expose list
 * (merged into the app's, or ours alone on a cross-origin request) to a head being written.
 * `headers` is what `writeHead` was given: when it is a headers object, they go into a copy of
 * it, returned for `writeHead` to use (the caller's object, which may be shared, is never
 * changed), the way the framework sends its own headers: a `setHeader` here would make Node merge
 * the whole object into its header map, most of an admitted request's cost. A head without such
 * an object gets them through `setHeader` (and `undefined` is returned).
 */
export function stampHead(
  res: StampedResponse,
  headers: unknown,
  wanted: string,
  crossOrigin: boolean,
): OutgoingHttpHeaders | undefined {
  const object =
    headers !== null && typeof headers === 'object' && !Array.isArray(headers)
      ? (headers as OutgoingHttpHeaders)
      : undefined;
  let state = headerOf(res, STATE) === undefined ? wanted : undefined;
  const setExpose = headerOf(res, EXPOSE) as OutgoingHttpHeader | undefined;
  if (object === undefined) {
    if (state !== undefined) res.setHeader(STATE_HEADER, state);
    // Browsers read the list only on cross-origin (CORS) responses, and those requests carry Origin.
    if (setExpose !== undefined || crossOrigin) {
      res.setHeader('Access-Control-Expose-Headers', mergeExposeHeaders(setExpose));
    }
    return undefined;
  }
  if (state === undefined && setExpose === undefined && !crossOrigin && !hasExpose(object)) {
    return undefined; // the app set the state itself, and no CORS
  }
  // One pass copies the object (key by key: less garbage than a spread) and finds the state
  // and expose headers already in it, whatever their case.
  const copy: OutgoingHttpHeaders = {};
  let expose: OutgoingHttpHeader | undefined;
  let exposed = false;
  for (const name in object) {
    const value = object[name];
    if (named(name, EXPOSE)) {
      expose = value;
      exposed = true;
      continue;
    }
    if (state !== undefined && named(name, STATE)) state = undefined;
    copy[name] = value;
  }
  if (state !== undefined) copy[STATE_HEADER] = state;
  // a list set with setHeader is overwritten by this merged one when Node merges the object in
  if (exposed || setExpose !== undefined || crossOrigin) {
    copy['Access-Control-Expose-Headers'] = mergeExposeHeaders(exposed ? expose : setExpose);
  }
  return copy;
}

/** Whether header `name` is `lower`, in any case (lengths first: no lower-cased copy of most names). */
function named(name: string, lower: string): boolean {
  return name.length === lower.length && name.toLowerCase() === lower;
}

/** Whether a `writeHead` headers object holds an expose list (any case). */
function hasExpose(object: OutgoingHttpHeaders): boolean {
  for (const name in object) if (named(name, EXPOSE)) return true;
  return false;
}

/**
 * Calls `writeHead` on `res` with `writeHead`'s arguments `args`, `headers` in place of the headers
 * object given (after the status, or after the status message); no array is built.
 */
export function writeHeadWith<R, T>(
  res: R,
  writeHead: (this: R, ...args: unknown[]) => T,
  args: ArrayLike<unknown>,
  headers: OutgoingHttpHeaders,
): T {
  return typeof args[1] === 'object'
    ? writeHead.call(res, args[0], headers)
    : writeHead.call(res, args[0], args[1], headers);
}
