// The server's X-Circuit-Breaker-Scope header on the client side: strict parsing into a matcher, and formatting back.

/**
 * What a server breaker covers, as its `X-Circuit-Breaker-Scope` header (`<methods> <path>`) and its
 * problem body's `scope` field say: `'*'` or upper-case method names, and a path pattern made of
 * literal segments, `:name` segments (one non-empty segment each) and an optional final `/*` that
 * covers the prefix itself and everything below it. The same shape as `@breakwater/core`'s.
 */
export interface BreakerScope {
  readonly methods: '*' | readonly string[];
  readonly path: string;
}

/** A scope ready to match requests against: a `null` segment is a parameter. */
export interface ScopePattern {
  /** `'*'` or the upper-case methods it covers. */
  readonly methods: '*' | readonly string[];
  readonly segments: readonly (string | null)[];
  /** Whether it covers everything below its segments too (a final `/*`). */
  readonly prefix: boolean;
  /** The same scope whatever the order of its methods: the part of a table key after the origin. */
  readonly canonical: string;
  /** How to state it on the wire, when it can be stated (a scope built from a raw path may not). */
  readonly wire: BreakerScope | undefined;
}

const MAX_LENGTH = 2048;
const MAX_PARTS = 64;
const METHOD = /^[A-Z][A-Z0-9_-]*$/;
const PARAM = /^:[A-Za-z_$][A-Za-z0-9_$]*$/;
const LITERAL = /^(?:[A-Za-z0-9\-._~!$&',;=@]|%[0-9A-Fa-f]{2})+$/;

/** The header value for a scope: `GET,HEAD /users/:id`, `* /*`. */
export function formatScope(scope: BreakerScope): string {
  return `${scope.methods === '*' ? '*' : scope.methods.join(',')} ${scope.path}`;
}

/** Parses a header value strictly; anything outside the documented syntax (or over 2048 characters) is `undefined`. */
export function parseScopeHeader(header: string | null): ScopePattern | undefined {
  if (header === null || header.length > MAX_LENGTH) return undefined;
  const text = header.trim();
  const space = text.indexOf(' ');
  if (space < 0) return undefined;
  const methodText = text.slice(0, space);
  const path = text.slice(space + 1);
  let methods: '*' | string[] = '*';
  if (methodText !== '*') {
    methods = methodText.split(',');
    if (methods.length > MAX_PARTS || new Set(methods).size !== methods.length) return undefined;
    if (!methods.every((m) => METHOD.test(m))) return undefined;
  }
  if (!path.startsWith('/')) return undefined;
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const prefix = parts[parts.length - 1] === '*';
  if (prefix) parts.pop();
  if (parts.length > MAX_PARTS) return undefined;
  const segments: (string | null)[] = [];
  for (const part of parts) {
    if (PARAM.test(part)) segments.push(null);
    else if (LITERAL.test(part) && part !== '.' && part !== '..') segments.push(part);
    else return undefined;
  }
  const wire: BreakerScope = Object.freeze({
    methods: methods === '*' ? '*' : Object.freeze(methods),
    path,
  });
  return pattern(wire.methods, segments, prefix, wire);
}

/**
 * The scope of exactly one request (its method and its path, no parameters): where an answer with a
 * malformed scope header backs off, the narrowest choice.
 */
export function exactScope(method: string, pathname: string): ScopePattern {
  const segments = requestSegments(pathname);
  const path = `/${segments.join('/')}`;
  const parsed = parseScopeHeader(`${method} ${path}`);
  const literal = parsed !== undefined && parsed.segments.every((s) => s !== null);
  return pattern([method], segments, false, literal ? parsed.wire : undefined);
}

/** The path segments of a request as the matcher compares them (one trailing slash ignored). */
export function requestSegments(pathname: string): string[] {
  const segments = pathname.split('/').slice(1);
  if (segments[segments.length - 1] === '') segments.pop();
  return segments;
}

/** Whether a request (upper-case `method`, `segments` from {@link requestSegments}) falls inside `scope`. */
export function patternMatches(
  scope: ScopePattern,
  method: string,
  segments: readonly string[],
): boolean {
  if (scope.methods !== '*' && !scope.methods.includes(method)) return false;
  const expected = scope.segments;
  if (segments.length < expected.length) return false;
  if (!scope.prefix && segments.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i += 1) {
    const want = expected[i];
    const got = segments[i]!;
    if (want === null ? got === '' : want !== got) return false;
  }
  return true;
}

function pattern(
  methods: '*' | readonly string[],
  segments: readonly (string | null)[],
  prefix: boolean,
  wire: BreakerScope | undefined,
): ScopePattern {
  // Parameters are `:` in the key: a literal segment never contains one, a raw path's may (hence `=`).
  const shape = segments.map((s) => (s === null ? ':' : `=${s}`)).join('/');
  const methodKey = methods === '*' ? '*' : [...methods].sort().join(',');
  return Object.freeze({
    methods,
    segments: Object.freeze(segments),
    prefix,
    canonical: `${methodKey} /${shape}${prefix ? '/*' : ''}`,
    wire,
  });
}
