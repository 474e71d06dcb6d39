// Behaviour of header filtering, Vary parsing and variant signatures.
import { describe, expect, it } from 'vitest';
import { MAX_VARY_NAMES, endToEndHeaders, variantOf, varyNames } from './cache-headers.js';

describe('endToEndHeaders', () => {
  it('keeps end-to-end headers with lower-case names and string values', () => {
    expect(
      endToEndHeaders({
        'Content-Type': 'text/plain',
        'content-length': 12,
        Link: ['</a>; rel=preload', '</b>; rel=preload'],
        etag: '"x"',
        skipped: undefined,
      }),
    ).toEqual({
      'content-type': 'text/plain',
      'content-length': '12',
      link: ['</a>; rel=preload', '</b>; rel=preload'],
      etag: '"x"',
    });
  });

  it('drops hop-by-hop fields, proxy-*, our state header, Date and Age', () => {
    const kept = endToEndHeaders({
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      te: 'trailers',
      trailer: 'x-checksum',
      upgrade: 'h2c',
      'proxy-authenticate': 'Basic',
      'proxy-connection': 'close',
      'X-Circuit-Breaker-State': 'closed',
      date: 'Mon, 01 Jan 2024 00:00:00 GMT',
      age: '10',
      'content-type': 'text/plain',
    });
    expect(kept).toEqual({ 'content-type': 'text/plain' });
  });

  it('drops the fields the Connection header names', () => {
    expect(endToEndHeaders({ Connection: 'close, X-Hop', 'x-hop': '1', 'x-end': '2' })).toEqual({
      'x-end': '2',
    });
  });

  it('merges the same field given in two cases', () => {
    expect(endToEndHeaders({ 'X-A': '1', 'x-a': '2' })).toEqual({ 'x-a': ['1', '2'] });
  });

  it('never stores a __proto__ field', () => {
    const headers = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>;
    const kept = endToEndHeaders(headers);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.keys(kept)).toEqual(['a']);
  });
});

describe('varyNames', () => {
  it('lower-cases, de-duplicates and sorts the names', () => {
    expect(varyNames('Accept-Encoding, accept-language,ACCEPT-ENCODING')).toEqual([
      'accept-encoding',
      'accept-language',
    ]);
    expect(varyNames(['Origin', 'Accept'])).toEqual(['accept', 'origin']);
    expect(varyNames(undefined)).toEqual([]);
    expect(varyNames(' , ')).toEqual([]);
  });

  it('reports Vary: * wherever it stands', () => {
    expect(varyNames('accept, *')).toBe('*');
  });

  it('refuses lists too long to key on', () => {
    const many = Array.from({ length: MAX_VARY_NAMES + 1 }, (_, i) => `x-h${i}`).join(', ');
    expect(varyNames(many)).toBeUndefined();
    expect(varyNames('a,'.repeat(100_000))).toBeUndefined();
  });
});

describe('variantOf', () => {
  it('normalises whitespace around commas and repeated lines, not case', () => {
    const names = ['accept-encoding'];
    expect(variantOf({ 'accept-encoding': 'gzip,br' }, names)).toBe(
      variantOf({ 'accept-encoding': ' gzip ,  br ' }, names),
    );
    expect(variantOf({ 'accept-encoding': ['gzip', 'br'] }, names)).toBe(
      variantOf({ 'accept-encoding': 'gzip, br' }, names),
    );
    expect(variantOf({ 'x-user': 'Alice' }, ['x-user'])).not.toBe(
      variantOf({ 'x-user': 'alice' }, ['x-user']),
    );
  });

  it('tells an absent header from an empty one, and values cannot imitate each other', () => {
    expect(variantOf({}, ['a'])).not.toBe(variantOf({ a: '' }, ['a']));
    expect(variantOf({ a: '1;1:b' }, ['a', 'b'])).not.toBe(
      variantOf({ a: '1', b: 'b' }, ['a', 'b']),
    );
  });

  it('ignores inherited properties such as __proto__', () => {
    expect(variantOf({}, ['__proto__', 'constructor'])).toBe(variantOf({}, ['x', 'y']));
  });
});
