// Unit tests for where a back-off answer lands: the declared scope, the call itself, or the scope option's key.
import { describe, expect, it } from 'vitest';
import { backoffTarget } from './backoff-target.js';
import { parseOptions } from './options.js';

const url = new URL('http://api.test/users/7?x=1');
const call = {
  key: 'http://api.test',
  origin: 'http://api.test',
  method: 'GET',
  pathname: '/users/7',
};

function answer(scope?: string, finalUrl?: string): Response {
  const response = new Response(null, {
    status: 503,
    headers: scope === undefined ? {} : { 'X-Circuit-Breaker-Scope': scope },
  });
  if (finalUrl !== undefined) Object.defineProperty(response, 'url', { value: finalUrl });
  return response;
}

describe('backoffTarget', () => {
  const config = parseOptions();

  it('takes the declared scope, bound to the origin that answered', () => {
    const target = backoffTarget(answer('GET,HEAD /users/:id'), call, url, config);
    expect(target).toMatchObject({
      origin: 'http://api.test',
      label: 'http://api.test GET,HEAD /users/:id',
      wire: { methods: ['GET', 'HEAD'], path: '/users/:id' },
    });
  });

  it('narrows a malformed scope to the call’s own method and path', () => {
    for (const hostile of [
      '* https://bank.test/*',
      'get /users/:id',
      '* /users/(.*)',
      'x'.repeat(5000),
    ]) {
      const target = backoffTarget(answer(hostile), call, url, config);
      expect(target).toMatchObject({
        origin: 'http://api.test',
        label: 'http://api.test GET /users/7',
        wire: { methods: ['GET'], path: '/users/7' },
      });
    }
  });

  it('binds a scope to the origin a redirect ended at, never to the one asked', () => {
    const target = backoffTarget(answer('* /*', 'http://cdn.test/u/7'), call, url, config);
    expect(target.origin).toBe('http://cdn.test');
    const malformed = backoffTarget(answer('???', 'http://cdn.test/u/7'), call, url, config);
    expect(malformed).toMatchObject({ origin: 'http://cdn.test', wire: { path: '/u/7' } });
  });

  it('falls back to the scope option when the server declares nothing, or when told to', () => {
    expect(backoffTarget(answer(), call, url, config)).toEqual({
      key: 'http://api.test',
      label: 'http://api.test',
      wire: { methods: '*', path: '/*' },
    });
    const ignoring = parseOptions({ honorServerScope: false });
    expect(backoffTarget(answer('GET /users/:id'), call, url, ignoring)).toMatchObject({
      key: 'http://api.test',
    });
    const prefix = parseOptions({ scope: 'origin+path-prefix' });
    expect(backoffTarget(answer(), { ...call, key: 'http://api.test/users' }, url, prefix)).toEqual(
      {
        key: 'http://api.test/users',
        label: 'http://api.test/users',
        wire: { methods: '*', path: '/users/*' },
      },
    );
    const custom = parseOptions({ scope: () => 'mine' });
    expect(backoffTarget(answer(), { ...call, key: 'mine' }, url, custom).wire).toBeUndefined();
  });
});
