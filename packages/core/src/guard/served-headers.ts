// The headers of a response served from the cache: the stored ones plus the breaker state and expose list.
import type { OutgoingHttpHeaders } from 'node:http';
import type { CachedReply } from '../cache/response-cache.js';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';

/**
 * Completes the headers of a {@link CachedReply} (its own fresh object, changed in place):
 * `X-Circuit-Breaker-State` and `Access-Control-Expose-Headers` merged with the stored value.
 * `Date` is left to Node, which sends a current one.
 */
export function servedHeaders(
  reply: CachedReply,
  state: string,
): Record<string, string | readonly string[]> {
  const headers = reply.headers;
  headers[STATE_HEADER] = state;
  headers['access-control-expose-headers'] = mergeExposeHeaders(
    headers['access-control-expose-headers'] as OutgoingHttpHeaders[string],
  );
  return headers;
}
