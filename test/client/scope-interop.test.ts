// Interop: core's scope formatter and matcher agree with the client's own parser and matcher (the client has no dependency on core).

import { describe, expect, it } from 'vitest';
import {
  ORIGIN_SCOPE,
  formatScope,
  parseScope,
  prefixScope,
  routeScope,
  scopeMatches,
  type BreakerScope,
} from '@breakwater/core/adapter';
import {
  formatScope as clientFormat,
  parseScopeHeader,
  patternMatches,
  requestSegments,
} from '../../packages/client/src/server-scope.js';

const scopes: BreakerScope[] = [
  ORIGIN_SCOPE,
  routeScope('GET', '/users/:id'),
  routeScope(['POST', 'PUT'], '/users/:id/avatar'),
  routeScope('DELETE', '/'),
  routeScope('ALL', '/health'),
  routeScope('GET', '/files/*splat'),
  routeScope('GET', '/users/:id?'),
  routeScope('GET', '/geo/:lat-:lng'),
  routeScope('PATCH', '/a%20b/~c/d.json'),
  prefixScope('/billing'),
  prefixScope('/orgs/:org'),
  { methods: ['M-SEARCH'], path: "/x/!$&',;=@" },
];

const requests: [string, string][] = [];
for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'M-SEARCH']) {
  for (const path of [
    '/',
    '/users',
    '/users/',
    '/users/7',
    '/users/7/',
    '/users/7/avatar',
    '/users//avatar',
    '/health',
    '/files',
    '/files/a/b.txt',
    '/geo/1-2',
    '/a%20b/~c/d.json',
    '/billing',
    '/billing/x/y',
    '/billingx',
    '/orgs/acme/teams',
    '/orgs//teams',
    "/x/!$&',;=@",
  ]) {
    requests.push([method, path]);
  }
}

describe('core and client agree on the scope header', () => {
  it.each(scopes.map((s) => [formatScope(s), s] as const))(
    'the client parses core’s %j back to the same scope, and core parses the client’s',
    (header, scope) => {
      const parsed = parseScopeHeader(header);
      expect(parsed?.wire).toEqual(scope);
      expect(clientFormat(parsed!.wire!)).toBe(header);
      expect(parseScope(clientFormat(parsed!.wire!))).toEqual(scope);
    },
  );

  it('they match the same requests', () => {
    for (const scope of scopes) {
      const pattern = parseScopeHeader(formatScope(scope))!;
      for (const [method, path] of requests) {
        const where = `${formatScope(scope)} ∋ ${method} ${path}`;
        expect(patternMatches(pattern, method, requestSegments(path)), where).toBe(
          scopeMatches(scope, method, path),
        );
      }
    }
  });

  it.each([
    'get /a',
    'GET /a/',
    'GET /a/*/b',
    'GET /a/:id?',
    'GET //x',
    '* http://x/*',
    'GET,GET /a',
    'GET  /a',
    'GET /a/..',
  ])('both reject %j', (header) => {
    expect(parseScope(header)).toBeUndefined();
    expect(parseScopeHeader(header)).toBeUndefined();
  });
});
