// The cache record codec: lossless round trips, and garbage decoded as nothing.

import { describe, expect, it } from 'vitest';
import type { CacheRecord } from '@breakwater/core';
import { decodeCacheRecord, encodeCacheRecord } from './cache-codec.js';

const record: CacheRecord = {
  variants: [
    {
      status: 200,
      headers: { 'content-type': 'application/json', link: ['<a>', '<b>'] },
      body: new Uint8Array([0, 1, 2, 255, 10]),
      storedAt: 1_700_000_000_000,
      serveLimit: 300_000,
      vary: [],
      variant: '',
    },
    {
      status: 404,
      headers: {},
      body: new Uint8Array(0),
      storedAt: 1_700_000_000_500,
      serveLimit: 1000,
      vary: ['accept-language'],
      variant: 'fr',
    },
  ],
};

describe('cache codec', () => {
  it('round-trips a record with binary bodies, repeated headers and variants', () => {
    expect(decodeCacheRecord(encodeCacheRecord(record))).toEqual(record);
  });

  it.each([
    ['null', null],
    ['empty', new Uint8Array(0)],
    ['another version', Buffer.from([2, 0, 0, 0, 2, 91, 93])],
    ['a head longer than the value', Buffer.from([1, 0, 0, 1, 0, 91])],
    ['not JSON', Buffer.from([1, 0, 0, 0, 3, 120, 120, 120])],
    ['trailing bytes', Buffer.concat([encodeCacheRecord(record), Buffer.from([1])])],
    ['a truncated body', encodeCacheRecord(record).subarray(0, -2)],
    ['text someone else wrote', Buffer.from('hello world')],
  ])('decodes %s as nothing', (_what, value) => {
    expect(decodeCacheRecord(value)).toBeUndefined();
  });

  it('rejects a head with a bad status or headers', () => {
    const head = (variant: object) => {
      const json = Buffer.from(JSON.stringify([variant]));
      const prefix = Buffer.from([1, 0, 0, 0, 0]);
      prefix.writeUInt32BE(json.length, 1);
      return Buffer.concat([prefix, json]);
    };
    const good = {
      status: 200,
      headers: {},
      storedAt: 1,
      serveLimit: 1,
      vary: [],
      variant: '',
      bodyLength: 0,
    };
    expect(decodeCacheRecord(head(good))).toBeDefined();
    expect(decodeCacheRecord(head({ ...good, status: 42 }))).toBeUndefined();
    expect(decodeCacheRecord(head({ ...good, headers: { a: 1 } }))).toBeUndefined();
    expect(decodeCacheRecord(head({ ...good, bodyLength: -1 }))).toBeUndefined();
  });

  it.each([
    ['a CR/LF in a value', { location: '/a\r\nset-cookie: stolen=1' }],
    ['a LF in a repeated value', { link: ['<a>', '<b>\nx: y'] }],
    ['a NUL in a value', { etag: '"a\u0000"' }],
    ['a character past U+00FF', { 'x-name': 'snow ☃' }],
    ['a space in a name', { 'bad name': 'x' }],
    ['a colon in a name', { 'x-a:b': 'x' }],
    ['a CR/LF in a name', { 'x\r\ny': 'x' }],
    ['an empty name', { '': 'x' }],
  ])(
    'treats a head with %s as nothing (a forged record must not reach the response)',
    (_what, headers) => {
      const json = Buffer.from(
        JSON.stringify([
          {
            status: 200,
            headers,
            storedAt: 1,
            serveLimit: 1,
            vary: [],
            variant: '',
            bodyLength: 0,
          },
        ]),
      );
      const prefix = Buffer.from([1, 0, 0, 0, 0]);
      prefix.writeUInt32BE(json.length, 1);
      expect(decodeCacheRecord(Buffer.concat([prefix, json]))).toBeUndefined();
    },
  );

  it('keeps header values Node writes: tabs, Latin-1 and visible ASCII', () => {
    const latin: CacheRecord = {
      variants: [
        { ...record.variants[0]!, headers: { 'x-t': 'a\tb café', "x-!#$%&'*+-.^_`|~": 'ok' } },
      ],
    };
    expect(decodeCacheRecord(encodeCacheRecord(latin))).toEqual(latin);
  });
});
