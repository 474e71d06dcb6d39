// The headers of a response served from the cache: the stored ones plus the breaker state and expose list.
import type { OutgoingHttpHeaders } from 'node:http';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';

/**
 * Completes the headers of a cached reply (a fresh object of its own, changed in place):
 * `X-Circuit-Breaker-State` and `Access-Control-Expose-Headers` merged with the stored value.
 * `Date` is left to Node, which sends a current one.
 */
export function servedHeaders(
  headers: Record<string, string | readonly string[]>,
  state: string,
): Record<string, string | readonly string[]> {
  headers[STATE_HEADER] = state;
  headers['access-control-expose-headers'] = mergeExposeHeaders(
    headers['access-control-expose-headers'] as OutgoingHttpHeaders[string],
  );
  return headers;
}
