// Unit tests for scope keys.
import { describe, expect, it } from 'vitest';
import { pathPrefixOf, scopeKeyFunction } from './scope.js';

const url = new URL('https://api.example.com:8443/v1/users/42?x=1#h');

describe('scopeKeyFunction', () => {
  it('keys by origin by default, port included', () => {
    expect(scopeKeyFunction('origin', 1)(url, undefined)).toBe('https://api.example.com:8443');
  });

  it('keys by origin plus the first path segments', () => {
    expect(scopeKeyFunction('origin+path-prefix', 1)(url, undefined)).toBe(
      'https://api.example.com:8443/v1',
    );
    expect(scopeKeyFunction('origin+path-prefix', 2)(url, undefined)).toBe(
      'https://api.example.com:8443/v1/users',
    );
  });

  it('takes the prefix from a function', () => {
    const key = scopeKeyFunction('origin+path-prefix', (u) =>
      u.pathname.startsWith('/v1') ? '/v1' : '/other',
    );
    expect(key(url, undefined)).toBe('https://api.example.com:8443/v1');
  });

  it('hands the URL and init to a key function', () => {
    const key = scopeKeyFunction((u, init) => `${init?.method ?? 'GET'} ${u.hostname}`, 1);
    expect(key(url, { method: 'POST' })).toBe('POST api.example.com');
  });
});

describe('pathPrefixOf', () => {
  it('ignores empty segments and handles the root', () => {
    expect(pathPrefixOf('//a///b/c', 2)).toBe('/a/b');
    expect(pathPrefixOf('/', 1)).toBe('/');
    expect(pathPrefixOf('/a', 0)).toBe('');
  });
});
