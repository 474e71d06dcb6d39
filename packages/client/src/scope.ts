// How a request URL maps to the scope the client tracks when the server declares none.

import { parseScopeHeader, type BreakerScope } from './server-scope.js';

/** Computes a scope key from the request URL and the `init` it was sent with. */
export type ScopeKeyFunction = (url: URL, init: RequestInit | undefined) => string;

/**
 * Which requests share one back-off state: `'origin'` (scheme, host and port), `'origin+path-prefix'`
 * (the origin plus the first path segments, see `pathPrefix`), or a function of your own.
 */
export type ScopeOption = 'origin' | 'origin+path-prefix' | ScopeKeyFunction;

/** For `'origin+path-prefix'`: how many leading path segments form the prefix, or a function giving it. */
export type PathPrefixOption = number | ((url: URL) => string);

/** Builds the scope-key function for the options; validation happens in `parseOptions`. */
export function scopeKeyFunction(
  scope: ScopeOption,
  pathPrefix: PathPrefixOption,
): ScopeKeyFunction {
  if (typeof scope === 'function') return scope;
  if (scope === 'origin') return (url) => url.origin;
  if (typeof pathPrefix === 'function') return (url) => url.origin + pathPrefix(url);
  return (url) => url.origin + pathPrefixOf(url.pathname, pathPrefix);
}

/** The first `depth` non-empty segments of `pathname`, as `/a/b` (or `''` for depth 0). */
export function pathPrefixOf(pathname: string, depth: number): string {
  if (depth <= 0) return '';
  const segments = pathname.split('/').filter((s) => s.length > 0);
  return segments.length === 0 ? '/' : `/${segments.slice(0, depth).join('/')}`;
}

/**
 * How the local `503` states a `scope` option's scope on the wire: `'origin'` is `* /*`,
 * `'origin+path-prefix'` is `* <prefix>/*` when the prefix is made of plain segments; a key function's
 * scope cannot be stated (`undefined`).
 */
export function scopeWireFunction(
  scope: ScopeOption,
  pathPrefix: PathPrefixOption,
): (url: URL) => BreakerScope | undefined {
  if (typeof scope === 'function') return () => undefined;
  if (scope === 'origin') return () => WHOLE_ORIGIN;
  return (url) => {
    const prefix =
      typeof pathPrefix === 'function' ? pathPrefix(url) : pathPrefixOf(url.pathname, pathPrefix);
    const path = prefix === '' || prefix === '/' ? '/*' : `${prefix}/*`;
    const parsed = parseScopeHeader(`* ${path}`);
    return parsed?.segments.every((s) => s !== null) ? parsed.wire : undefined;
  };
}

const WHOLE_ORIGIN: BreakerScope = Object.freeze({ methods: '*', path: '/*' });
