// Unit tests for the client's scope header parser and matcher.
import { describe, expect, it } from 'vitest';
import {
  exactScope,
  formatScope,
  parseScopeHeader,
  patternMatches,
  requestSegments,
  type ScopePattern,
} from './server-scope.js';

function matches(scope: ScopePattern, method: string, pathname: string): boolean {
  return patternMatches(scope, method, requestSegments(pathname));
}

describe('parseScopeHeader', () => {
  it('reads methods, segments and a final /*, and states the scope back as it came', () => {
    const route = parseScopeHeader('GET,HEAD /users/:id')!;
    expect(route).toMatchObject({
      methods: ['GET', 'HEAD'],
      segments: ['users', null],
      prefix: false,
    });
    expect(formatScope(route.wire!)).toBe('GET,HEAD /users/:id');
    expect(parseScopeHeader('* /billing/*')).toMatchObject({
      methods: '*',
      segments: ['billing'],
      prefix: true,
    });
    expect(parseScopeHeader('* /*')).toMatchObject({ methods: '*', segments: [], prefix: true });
    expect(parseScopeHeader('POST /')).toMatchObject({
      methods: ['POST'],
      segments: [],
      prefix: false,
    });
  });

  it('keys a scope the same whatever the order of its methods or the names of its parameters', () => {
    expect(parseScopeHeader('HEAD,GET /u/:a')!.canonical).toBe(
      parseScopeHeader('GET,HEAD /u/:b')!.canonical,
    );
    expect(parseScopeHeader('GET /u/:a')!.canonical).not.toBe(
      parseScopeHeader('GET /u/a')!.canonical,
    );
    expect(parseScopeHeader('GET /u/*')!.canonical).not.toBe(parseScopeHeader('GET /u')!.canonical);
  });

  it.each([
    null,
    '',
    'GET',
    'get /a',
    'GET,GET /a',
    'GET /a/',
    'GET /a/*/b',
    'GET /a/:id?',
    'GET /a/(.*)',
    'GET /a/..',
    '* http://other.test/*',
    '* //other.test/*',
    `* /${'x'.repeat(2048)}`,
  ])('rejects %j', (header) => {
    expect(parseScopeHeader(header)).toBeUndefined();
  });
});

describe('patternMatches', () => {
  it('matches nested and overlapping scopes independently', () => {
    const app = parseScopeHeader('* /*')!;
    const route = parseScopeHeader('GET,HEAD /users/:id')!;
    const mount = parseScopeHeader('* /billing/*')!;
    expect(matches(app, 'POST', '/anything/at/all')).toBe(true);
    expect(matches(route, 'GET', '/users/7')).toBe(true);
    expect(matches(route, 'GET', '/users/7/')).toBe(true);
    expect(matches(route, 'DELETE', '/users/7')).toBe(false);
    expect(matches(route, 'GET', '/users/7/friends')).toBe(false);
    expect(matches(route, 'GET', '/users/')).toBe(false);
    expect(matches(mount, 'PUT', '/billing')).toBe(true);
    expect(matches(mount, 'PUT', '/billing/x/y')).toBe(true);
    expect(matches(mount, 'PUT', '/billingx')).toBe(false);
  });
});

describe('exactScope', () => {
  it('covers only the call’s own method and path', () => {
    const scope = exactScope('GET', '/users/7');
    expect(matches(scope, 'GET', '/users/7')).toBe(true);
    expect(matches(scope, 'GET', '/users/8')).toBe(false);
    expect(matches(scope, 'POST', '/users/7')).toBe(false);
    expect(scope.wire).toEqual({ methods: ['GET'], path: '/users/7' });
  });

  it('treats a colon or star in the path as literal and then cannot state it on the wire', () => {
    const scope = exactScope('GET', '/a/:b/*');
    expect(matches(scope, 'GET', '/a/:b/*')).toBe(true);
    expect(matches(scope, 'GET', '/a/x/*')).toBe(false);
    expect(matches(scope, 'GET', '/a/:b/c')).toBe(false);
    expect(scope.wire).toBeUndefined();
  });
});
