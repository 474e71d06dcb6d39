// The HTTP helpers every adapter shares.
import { describe, expect, it } from 'vitest';
import { Rejection } from '../permit.js';
import { mergeExposeHeaders, retryAfterSeconds } from './headers.js';
import { rejectionResponse } from './problem.js';

describe('retryAfterSeconds', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 1],
    [1999, 1],
    [2000, 2],
    [29_999.5, 29],
    [30_000, 30],
    [-5, 1],
    [Number.NaN, 1],
  ])('%d ms → %d s', (ms, s) => {
    expect(retryAfterSeconds(ms)).toBe(s);
  });
});

describe('mergeExposeHeaders', () => {
  it('adds ours to an existing list once, case-insensitively', () => {
    expect(mergeExposeHeaders(undefined)).toBe('Retry-After, X-Circuit-Breaker-State');
    expect(mergeExposeHeaders('ETag')).toBe('ETag, Retry-After, X-Circuit-Breaker-State');
    expect(mergeExposeHeaders('retry-after, ETag')).toBe(
      'retry-after, ETag, X-Circuit-Breaker-State',
    );
    expect(mergeExposeHeaders(['A', 'B'])).toBe('A, B, Retry-After, X-Circuit-Breaker-State');
    expect(mergeExposeHeaders('*')).toBe('*');
  });
});

describe('rejectionResponse', () => {
  it('is a 503 problem+json with Retry-After, state and no-store', () => {
    const response = rejectionResponse(new Rejection('GET /users/:id', 'open', 13_300));
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({
      'Retry-After': '13',
      'X-Circuit-Breaker-State': 'open',
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
    });
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      title: 'Service Unavailable',
      status: 503,
      breaker: 'GET /users/:id',
      state: 'open',
      retryAfter: 13,
    });
    expect(typeof body.type).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(Number(response.headers['Content-Length'])).toBe(Buffer.byteLength(response.body));
  });

  it('shows forced-open as open on the wire', () => {
    const response = rejectionResponse(new Rejection('x', 'forced-open', 1000));
    expect(response.headers['X-Circuit-Breaker-State']).toBe('open');
  });
});

describe('rejectionResponse reuse', () => {
  it('reuses the built response while the Retry-After second is the same, and rebuilds when it changes', () => {
    const rejection = new Rejection('db', 'open', 5_400);
    const first = rejectionResponse(rejection);
    expect(rejectionResponse(rejection)).toBe(first);
    expect(Object.isFrozen(first.headers)).toBe(true);
    rejection.refresh(3_100);
    const later = rejectionResponse(rejection);
    expect(later).not.toBe(first);
    expect(later.headers['Retry-After']).toBe('3');
  });
});
