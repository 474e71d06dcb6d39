// Where a back-off answer lands: the scope the server declared for its origin, the call itself, or the scope option's key.

import { SCOPE_HEADER } from './headers.js';
import type { ClientConfiguration } from './options.js';
import type { CallFacts, ScopeTarget } from './scope-table.js';
import { exactScope, formatScope, parseScopeHeader } from './server-scope.js';

/**
 * The scope an open or half-open `503` backs off:
 * - with a well-formed `X-Circuit-Breaker-Scope` (and `honorServerScope`), that scope, bound to the
 *   origin that answered (the response's URL after redirects, else the request's): it can never reach
 *   another origin;
 * - with a malformed one, only the call's own method and path on that origin (the narrowest choice);
 * - with none (a server that declares no scope), the `scope` option's key, as before.
 */
export function backoffTarget(
  response: Response,
  call: CallFacts,
  url: URL,
  config: Pick<ClientConfiguration, 'honorServerScope' | 'scopeWire'>,
): ScopeTarget {
  const header = config.honorServerScope ? response.headers.get(SCOPE_HEADER) : null;
  if (header === null) {
    return { key: call.key, label: call.key, wire: config.scopeWire(url) };
  }
  const answered = answeringUrl(response, url);
  const pattern = parseScopeHeader(header) ?? exactScope(call.method, answered.pathname);
  const wire = pattern.wire;
  const stated = wire === undefined ? `${call.method} ${answered.pathname}` : formatScope(wire);
  return { origin: answered.origin, pattern, label: `${answered.origin} ${stated}`, wire };
}

/** The URL whose server wrote the answer: the final one after redirects when fetch reports it. */
function answeringUrl(response: Response, requested: URL): URL {
  if (response.url === '' || response.url === requested.href) return requested;
  try {
    return new URL(response.url);
  } catch {
    return requested;
  }
}
