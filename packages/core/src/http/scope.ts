// The scope of a short-circuit: which methods and paths a breaker covers, as the X-Circuit-Breaker-Scope header says it.

/**
 * What a breaker covers, as it travels in the `X-Circuit-Breaker-Scope` header and the problem body's
 * `scope` field: the methods (`'*'` for all, else upper-case names) and a path pattern in a subset of
 * URLPattern pathname syntax: literal segments, `:name` segments (exactly one non-empty segment), and
 * an optional final `/*` that covers the prefix itself and everything below it (`/billing/*` covers
 * `/billing` and `/billing/a/b`; URLPattern's `/billing/*` would not cover `/billing` itself).
 *
 * @example
 * { methods: ['GET', 'HEAD'], path: '/users/:id' } // a GET route
 * { methods: '*', path: '/billing/*' }             // a mount
 * { methods: '*', path: '/*' }                     // an app-level breaker (ORIGIN_SCOPE)
 */
export interface BreakerScope {
  /** `'*'` (every method) or a non-empty list of distinct upper-case method names. */
  readonly methods: '*' | readonly string[];
  /** The path pattern (see {@link BreakerScope}). */
  readonly path: string;
}

/** The header a short-circuit declares its scope in. */
export const SCOPE_HEADER = 'X-Circuit-Breaker-Scope';
/** Lower-case form, for frameworks that want it. */
export const SCOPE_HEADER_LOWER = 'x-circuit-breaker-scope';

/** The scope of an app-level breaker: every method, every path of the origin. */
export const ORIGIN_SCOPE: BreakerScope = Object.freeze({ methods: '*', path: '/*' });

/** The longest header value `parseScope` reads; longer ones are malformed. */
const MAX_SCOPE_LENGTH = 2048;
/** The most methods or path segments a scope may list. */
const MAX_PARTS = 64;

const METHOD = /^[A-Z][A-Z0-9_-]*$/;
const PARAM = /^:[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A literal segment on the wire: RFC 3986 pchars minus URLPattern's special characters. */
const WIRE_LITERAL = /^(?:[A-Za-z0-9\-._~!$&',;=@]|%[0-9A-Fa-f]{2})+$/;
/**
 * A literal segment in a framework template: a stricter set, because characters such as `$`, `!` or
 * `'` mean something to some routers' pattern languages (Express 4 builds a regular expression).
 */
const TEMPLATE_LITERAL = /^(?:[A-Za-z0-9\-._~@]|%[0-9A-Fa-f]{2})+$/;

/** The header value for `scope`: `<methods> <path>`, e.g. `GET,HEAD /users/:id` or `* /*`. */
export function formatScope(scope: BreakerScope): string {
  const methods = scope.methods === '*' ? '*' : scope.methods.join(',');
  return `${methods} ${scope.path}`;
}

/**
 * Reads an `X-Circuit-Breaker-Scope` value strictly: `*` or comma-separated upper-case methods, one
 * space, and a path pattern as {@link BreakerScope} describes. Anything else (lower-case or repeated
 * methods, empty or dot segments, `*` other than as the final segment, URLPattern features outside the
 * subset, more than 2048 characters) is malformed and gives `undefined`.
 */
export function parseScope(header: string | null | undefined): BreakerScope | undefined {
  if (typeof header !== 'string' || header.length > MAX_SCOPE_LENGTH) return undefined;
  const text = header.trim();
  const space = text.indexOf(' ');
  if (space < 0) return undefined;
  const methodText = text.slice(0, space);
  const path = text.slice(space + 1);
  if (!isPathPattern(path)) return undefined;
  if (methodText === '*') return Object.freeze({ methods: '*', path });
  const methods = methodText.split(',');
  if (methods.length > MAX_PARTS || new Set(methods).size !== methods.length) return undefined;
  if (!methods.every((m) => METHOD.test(m))) return undefined;
  return Object.freeze({ methods: Object.freeze(methods), path });
}

/** Whether a path pattern is in the wire syntax. */
function isPathPattern(path: string): boolean {
  if (path === '/' || path === '/*') return true;
  if (!path.startsWith('/')) return false;
  const segments = path.slice(1).split('/');
  if (segments.length > MAX_PARTS) return false;
  if (segments[segments.length - 1] === '*') segments.pop();
  return segments.every((s) => PARAM.test(s) || (WIRE_LITERAL.test(s) && s !== '.' && s !== '..'));
}

/**
 * Whether a request (`method`, URL `pathname` as the URL API gives it, still percent-encoded) falls
 * inside `scope`. Methods compare case-insensitively, path segments exactly (case-sensitive, as
 * URLPattern does); one trailing slash on the request path is ignored (`/users/42/` is `/users/42`).
 * A scope whose path is not in the wire syntax matches nothing.
 */
export function scopeMatches(scope: BreakerScope, method: string, pathname: string): boolean {
  if (scope.methods !== '*' && !scope.methods.includes(method.toUpperCase())) return false;
  if (!isPathPattern(scope.path)) return false;
  const pattern = scope.path === '/' ? [] : scope.path.slice(1).split('/');
  const wildcard = pattern[pattern.length - 1] === '*';
  if (wildcard) pattern.pop();
  const request = pathname.split('/').slice(1);
  if (request[request.length - 1] === '') request.pop();
  if (request.length < pattern.length || (!wildcard && request.length !== pattern.length)) {
    return false;
  }
  return pattern.every((p, i) => (p.startsWith(':') ? request[i] !== '' : p === request[i]));
}

/**
 * The scope of a route breaker: its method(s) and its framework route template, normalised to the
 * wire syntax. A `GET` route also covers `HEAD`; `ALL`, `*` or an unusable method means every method.
 * Templates of Express (4 and 5), Fastify and Koa router are understood: `:name` segments stay,
 * wildcards (`*`, `*splat`, `{*splat}`, `(.*)`) become a final `/*`, and from the first segment that
 * cannot be expressed exactly (optional parts, regular expressions, several parameters in one
 * segment, characters outside `A-Za-z0-9-._~@` and `%XX`) the rest of the route is widened to `/*`,
 * so the scope always covers at least every path the route matches. A template that is not a string
 * starting with `/` covers the whole origin.
 *
 * @example
 * routeScope('GET', '/users/:id')        // { methods: ['GET', 'HEAD'], path: '/users/:id' }
 * routeScope('GET', '/files/*splat')     // { methods: ['GET', 'HEAD'], path: '/files/*' }
 * routeScope('POST', '/users/:id(\\d+)') // { methods: ['POST'], path: '/users/*' }
 */
export function routeScope(method: string | readonly string[], template: string): BreakerScope {
  return Object.freeze({ methods: routeMethods(method), path: normalisePath(template, false) });
}

/**
 * The scope of a breaker mounted under a path prefix (`app.use('/billing', …)`, a Koa router prefix,
 * a Fastify plugin prefix): every method, the prefix and everything below it.
 *
 * @example
 * prefixScope('/billing') // { methods: '*', path: '/billing/*' }
 * prefixScope('/')        // ORIGIN_SCOPE's shape: { methods: '*', path: '/*' }
 */
export function prefixScope(prefix: string): BreakerScope {
  const path = normalisePath(prefix === '' ? '/' : prefix, true);
  return path === ORIGIN_SCOPE.path ? ORIGIN_SCOPE : Object.freeze({ methods: '*', path });
}

function routeMethods(method: string | readonly string[]): '*' | readonly string[] {
  const list = typeof method === 'string' ? [method] : method;
  if (!Array.isArray(list) || list.length === 0) return '*';
  const methods: string[] = [];
  for (const m of list as readonly unknown[]) {
    if (typeof m !== 'string') return '*';
    const upper = m.toUpperCase();
    if (upper === 'ALL' || upper === '*' || !METHOD.test(upper)) return '*';
    if (!methods.includes(upper)) methods.push(upper);
    if (upper === 'GET' && !list.some((x) => typeof x === 'string' && x.toUpperCase() === 'HEAD')) {
      methods.push('HEAD');
    }
  }
  return methods.length > MAX_PARTS ? '*' : Object.freeze(methods);
}

/** A framework template as a wire path pattern: the expressible leading segments, then `/*` if needed. */
function normalisePath(template: string, mount: boolean): string {
  if (typeof template !== 'string' || !template.startsWith('/')) return ORIGIN_SCOPE.path;
  const raw = template.slice(1).split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop(); // `/users/` routes `/users` too
  if (raw.length === 1 && raw[0] === '') raw.pop(); // the root
  const kept: string[] = [];
  let wildcard = mount;
  for (const segment of raw) {
    const plain =
      kept.length < MAX_PARTS - 1 &&
      (PARAM.test(segment) ||
        (TEMPLATE_LITERAL.test(segment) && segment !== '.' && segment !== '..'));
    if (!plain) {
      wildcard = true;
      break;
    }
    kept.push(segment);
  }
  const base = `/${kept.join('/')}`;
  if (!wildcard) return base;
  return kept.length === 0 ? '/*' : `${base}/*`;
}
