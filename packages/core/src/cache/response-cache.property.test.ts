// Property tests of the fallback cache: never laxer than RFC 9111 (per http-cache-semantics), never crosses users.
import fc from 'fast-check';
import CachePolicy from 'http-cache-semantics';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

const directive = fc.constantFrom(
  'public',
  'max-age=60',
  'max-age=0',
  'no-store',
  'no-cache',
  'private',
  'private="x-user"',
  'must-revalidate',
  'proxy-revalidate',
  's-maxage=30',
  'stale-if-error=60',
  'stale-if-error=0',
  'immutable',
  'x-ext="a, no-store"',
  'NO-STORE',
  '"',
);

const responseHeaders = fc.record(
  {
    'cache-control': fc.array(directive, { maxLength: 4 }).map((parts) => parts.join(', ')),
    'set-cookie': fc.constant('s=1'),
    vary: fc.constantFrom('*', 'accept', 'x-user', 'cookie', 'authorization', 'accept, x-user'),
    pragma: fc.constant('no-cache'),
    expires: fc.constant('Thu, 01 Jan 1970 00:00:00 GMT'),
  },
  { requiredKeys: [] },
);

const requestHeaders = fc.record(
  {
    authorization: fc.constant('Bearer token-A'),
    cookie: fc.constant('session=A'),
    'cache-control': fc.constantFrom('no-store', 'no-cache', 'max-age=0'),
    accept: fc.constantFrom('application/json', 'text/html'),
  },
  { requiredKeys: [] },
);

const status = fc.constantFrom(200, 203, 204, 206, 301, 302, 304, 307, 404, 410, 500, 501, 503);

describe('ResponseCache properties', () => {
  it('stores only what a shared RFC 9111 cache may store (checked against http-cache-semantics)', () => {
    fc.assert(
      fc.property(requestHeaders, status, responseHeaders, (reqHeaders, code, resHeaders) => {
        const cache = new ResponseCache({ now: () => 0 });
        const request = { method: 'GET', url: '/r', headers: { ...reqHeaders, 'x-user': 'A' } };
        const ticket = cache.admit(request);
        const stored =
          ticket !== undefined && cache.store(ticket, code, { ...resHeaders }, 'body') === true;
        if (!stored) return;
        const policy = new CachePolicy(
          { method: 'GET', url: '/r', headers: request.headers },
          { status: code, headers: resHeaders },
          { shared: true },
        );
        expect(policy.storable()).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never serves one user’s response to another', () => {
    fc.assert(
      fc.property(
        requestHeaders,
        responseHeaders,
        fc.boolean(),
        fc.boolean(),
        (aHeaders, resHeaders, bHasCookie, allowAuthorized) => {
          const cache = new ResponseCache({ now: () => 0, allowAuthorized });
          const alice = { method: 'GET', url: '/me', headers: { ...aHeaders, 'x-user': 'A' } };
          const ticket = cache.admit(alice);
          if (ticket !== undefined) cache.store(ticket, 200, { ...resHeaders }, 'secret-of-A');
          const bob = {
            method: 'GET',
            url: '/me',
            headers: {
              'x-user': 'B',
              ...(bHasCookie ? { cookie: 'session=B' } : {}),
              ...(aHeaders.accept === undefined ? {} : { accept: aHeaders.accept }),
            },
          };
          const reply = cache.lookup(bob);
          if (reply === undefined || reply instanceof Promise) return;
          // Bob got Alice's response: only legal when it could not be personal to her.
          const vary = resHeaders.vary ?? '';
          expect(resHeaders['set-cookie']).toBeUndefined();
          expect(vary).not.toContain('x-user');
          expect(vary).not.toContain('*');
          if (!allowAuthorized) {
            expect(aHeaders.authorization).toBeUndefined();
            expect(aHeaders.cookie).toBeUndefined();
            expect(bHasCookie).toBe(false);
          } else {
            if (aHeaders.cookie !== undefined || bHasCookie) expect(vary).not.toContain('cookie');
          }
          // Outside quoted arguments: no private/no-store, and no stray quote (malformed).
          const unquoted = (resHeaders['cache-control'] ?? '').replace(/"[^"]*"/g, '');
          expect(/private|no-store|"/i.test(unquoted)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws, whatever the headers', () => {
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.string({ maxLength: 50 }), { maxLength: 5 }),
      fc.integer(),
    );
    const headers = fc.dictionary(
      fc.oneof(
        fc.constantFrom('vary', 'cache-control', 'content-length', 'connection', '__proto__'),
        fc.string(),
      ),
      header,
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(headers, headers, fc.string(), (req, res, url) => {
        const cache = new ResponseCache({ now: () => 0 });
        const request = { method: 'GET', url, headers: req as Record<string, string> };
        const ticket = cache.admit(request);
        if (ticket !== undefined) cache.store(ticket, 200, res, 'x');
        cache.lookup(request);
        cache.invalidate({ ...request, method: 'POST' }, 200, res);
      }),
      { numRuns: 1000 },
    );
  });
});
