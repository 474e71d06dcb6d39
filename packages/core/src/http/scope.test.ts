// Unit tests for the scope header: its format, strict parsing, matching and the framework template normalisation.
import { describe, expect, it } from 'vitest';
import {
  ORIGIN_SCOPE,
  formatScope,
  parseScope,
  prefixScope,
  routeScope,
  scopeMatches,
  type BreakerScope,
} from './scope.js';

describe('formatScope and parseScope', () => {
  it.each([
    ['* /*', { methods: '*', path: '/*' }],
    ['GET,HEAD /users/:id', { methods: ['GET', 'HEAD'], path: '/users/:id' }],
    ['* /billing/*', { methods: '*', path: '/billing/*' }],
    ['POST /', { methods: ['POST'], path: '/' }],
    ['M-SEARCH /a/:b/c.json/*', { methods: ['M-SEARCH'], path: '/a/:b/c.json/*' }],
    ["GET /a%20b/~x_y-z/!$&',;=@", { methods: ['GET'], path: "/a%20b/~x_y-z/!$&',;=@" }],
  ])('reads %j and writes it back the same', (header, scope) => {
    expect(parseScope(header)).toEqual(scope);
    expect(formatScope(parseScope(header)!)).toBe(header);
  });

  it('ignores surrounding whitespace', () => {
    expect(parseScope('  GET /a \t')).toEqual({ methods: ['GET'], path: '/a' });
  });

  it.each([
    null,
    undefined,
    '',
    '*',
    '/users',
    'get /users',
    'GET, HEAD /users',
    'GET,,HEAD /users',
    'GET,GET /users',
    'GET  /users',
    'GET users',
    'GET /users/',
    'GET //users',
    'GET /users/*/more',
    'GET /users/*name',
    'GET /users/:id?',
    'GET /users/:id(\\d+)',
    'GET /users/{:id}',
    'GET /users/:',
    'GET /users/:1d',
    'GET /users/:id.json',
    'GET /users/a:b',
    'GET /a/../b',
    'GET /a/./b',
    'GET /a%2',
    'GET /a b',
    'GET /ü',
    '* https://evil.example/*',
    '* /a?x=1',
    '* /a#x',
    `* /${'a/'.repeat(1100)}`,
    `${Array.from({ length: 65 }, (_, i) => `M${i}`).join(',')} /`,
  ])('rejects %j as malformed', (header) => {
    expect(parseScope(header)).toBeUndefined();
  });
});

describe('scopeMatches', () => {
  const route: BreakerScope = { methods: ['GET', 'HEAD'], path: '/users/:id' };
  const mount: BreakerScope = { methods: '*', path: '/billing/*' };

  it('matches a route scope on its methods and exactly its segments', () => {
    expect(scopeMatches(route, 'GET', '/users/42')).toBe(true);
    expect(scopeMatches(route, 'head', '/users/42')).toBe(true);
    expect(scopeMatches(route, 'GET', '/users/42/')).toBe(true);
    expect(scopeMatches(route, 'POST', '/users/42')).toBe(false);
    expect(scopeMatches(route, 'GET', '/users')).toBe(false);
    expect(scopeMatches(route, 'GET', '/users/')).toBe(false);
    expect(scopeMatches(route, 'GET', '/users/42/posts')).toBe(false);
    expect(scopeMatches(route, 'GET', '/Users/42')).toBe(false);
    expect(scopeMatches(route, 'GET', '/users//')).toBe(false);
  });

  it('matches a final /* on the prefix itself and anything below it', () => {
    expect(scopeMatches(mount, 'DELETE', '/billing')).toBe(true);
    expect(scopeMatches(mount, 'GET', '/billing/')).toBe(true);
    expect(scopeMatches(mount, 'GET', '/billing/a/b')).toBe(true);
    expect(scopeMatches(mount, 'GET', '/billing-old')).toBe(false);
    expect(scopeMatches(mount, 'GET', '/')).toBe(false);
  });

  it('matches every request with the origin scope, and only the root with /', () => {
    for (const path of ['/', '/a', '/a/b/c/']) {
      expect(scopeMatches(ORIGIN_SCOPE, 'PATCH', path)).toBe(true);
    }
    const root: BreakerScope = { methods: ['GET'], path: '/' };
    expect(scopeMatches(root, 'GET', '/')).toBe(true);
    expect(scopeMatches(root, 'GET', '/a')).toBe(false);
  });

  it('matches nothing when the path is not in the wire syntax', () => {
    expect(scopeMatches({ methods: '*', path: '/users/(.*)' }, 'GET', '/users/(.*)')).toBe(false);
  });
});

describe('routeScope', () => {
  it.each([
    ['GET', '/users/:id', ['GET', 'HEAD'], '/users/:id'],
    ['get', '/users/:id', ['GET', 'HEAD'], '/users/:id'],
    ['POST', '/users', ['POST'], '/users'],
    [['GET', 'HEAD'], '/', ['GET', 'HEAD'], '/'],
    [['POST', 'GET'], '/a', ['POST', 'GET', 'HEAD'], '/a'],
    ['ALL', '/a', '*', '/a'],
    ['*', '/a', '*', '/a'],
    ['not a method', '/a', '*', '/a'],
    [[], '/a', '*', '/a'],
    ['PUT', '/users/', ['PUT'], '/users'],
    // Express 5 wildcards and optional groups
    ['GET', '/files/*splat', ['GET', 'HEAD'], '/files/*'],
    ['GET', '/files{/*splat}', ['GET', 'HEAD'], '/*'],
    ['GET', '/files/{*splat}', ['GET', 'HEAD'], '/files/*'],
    ['GET', '/users{/:id}/edit', ['GET', 'HEAD'], '/*'],
    ['GET', '/*splat', ['GET', 'HEAD'], '/*'],
    // Express 4 and Koa router (path-to-regexp 0.1 / 6)
    ['GET', '*', ['GET', 'HEAD'], '/*'],
    ['GET', '/files/*', ['GET', 'HEAD'], '/files/*'],
    ['GET', '/users/:id?', ['GET', 'HEAD'], '/users/*'],
    ['GET', '/users/:id(\\d+)', ['GET', 'HEAD'], '/users/*'],
    ['GET', '/files/(.*)', ['GET', 'HEAD'], '/files/*'],
    ['GET', '/a$b', ['GET', 'HEAD'], '/*'],
    // Fastify
    ['GET', '/static/*', ['GET', 'HEAD'], '/static/*'],
    ['GET', '/geo/:lat-:lng', ['GET', 'HEAD'], '/geo/*'],
    ['GET', '/u/:id/:file.:ext', ['GET', 'HEAD'], '/u/:id/*'],
    ['GET', '/a::b', ['GET', 'HEAD'], '/*'],
    // odd input
    ['GET', '', ['GET', 'HEAD'], '/*'],
    ['GET', 'users/:id', ['GET', 'HEAD'], '/*'],
    ['GET', '/a//b', ['GET', 'HEAD'], '/a/*'],
    ['GET', '/café', ['GET', 'HEAD'], '/*'],
    ['GET', '/caf%C3%A9/:id', ['GET', 'HEAD'], '/caf%C3%A9/:id'],
  ] as const)('%j %j → %j %j', (method, template, methods, path) => {
    const scope = routeScope(method, template);
    expect(scope).toEqual({ methods, path });
    expect(parseScope(formatScope(scope))).toEqual(scope);
  });

  it('covers every path the route would match, including where it widens', () => {
    expect(scopeMatches(routeScope('GET', '/users/:id?'), 'GET', '/users')).toBe(true);
    expect(scopeMatches(routeScope('GET', '/users/:id?'), 'GET', '/users/7')).toBe(true);
    expect(scopeMatches(routeScope('GET', '/files/*splat'), 'HEAD', '/files/a/b.txt')).toBe(true);
    expect(scopeMatches(routeScope('GET', '/geo/:lat-:lng'), 'GET', '/geo/1-2')).toBe(true);
  });

  it('widens templates too long to list to the origin-relative prefix it can state', () => {
    const long = `/${Array.from({ length: 100 }, (_, i) => `s${i}`).join('/')}`;
    const scope = routeScope('GET', long);
    expect(scope.path.endsWith('/*')).toBe(true);
    expect(parseScope(formatScope(scope))).toEqual(scope);
    expect(scopeMatches(scope, 'GET', long)).toBe(true);
  });
});

describe('prefixScope', () => {
  it.each([
    ['/billing', '/billing/*'],
    ['/billing/', '/billing/*'],
    ['/orgs/:org', '/orgs/:org/*'],
    ['/', '/*'],
    ['', '/*'],
    ['/v1{/:x}', '/*'], // a segment with an optional group may match '/v1s': widen
  ])('%j → * %j', (prefix, path) => {
    expect(prefixScope(prefix)).toEqual({ methods: '*', path });
  });

  it('gives the origin scope for the root', () => {
    expect(prefixScope('/')).toBe(ORIGIN_SCOPE);
    expect(formatScope(ORIGIN_SCOPE)).toBe('* /*');
  });
});
