// The HTTP helpers every adapter shares.
import { describe, expect, it } from 'vitest';
import { Rejection } from '../permit.js';
import { mergeExposeHeaders, retryAfterSeconds } from './headers.js';
import { FORCED_OPEN_PROBLEM_TYPE, PROBLEM_TYPE, rejectionResponse } from './problem.js';

describe('retryAfterSeconds', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [1999, 2],
    [2000, 2],
    [4_300, 5],
    [29_999.5, 30],
    [30_000, 30],
    [30_000.5, 31],
    [-5, 1],
    [Number.NaN, 1],
  ])('%d ms → %d s', (ms, s) => {
    expect(retryAfterSeconds(ms)).toBe(s);
  });

  it('never asks a client to come back before the time left has passed', () => {
    for (let ms = 1; ms <= 65_000; ms += 37) {
      const seconds = retryAfterSeconds(ms);
      expect(seconds * 1000).toBeGreaterThanOrEqual(ms);
      expect(seconds * 1000 - ms).toBeLessThan(1000); // and never a whole second late
    }
  });
});

describe('mergeExposeHeaders', () => {
  it('adds ours to an existing list once, case-insensitively', () => {
    expect(mergeExposeHeaders(undefined)).toBe(
      'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(mergeExposeHeaders('ETag')).toBe(
      'ETag, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(mergeExposeHeaders('retry-after, ETag')).toBe(
      'retry-after, ETag, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(mergeExposeHeaders(['A', 'B'])).toBe(
      'A, B, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(mergeExposeHeaders('*')).toBe('*');
  });
});

describe('rejectionResponse', () => {
  it('is a 503 problem+json with Retry-After, state and no-store', () => {
    const response = rejectionResponse(new Rejection('GET /users/:id', 'open', 13_300));
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({
      'Retry-After': '14',
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
      retryAfter: 14,
    });
    expect(body.type).toBe(PROBLEM_TYPE);
    expect(body.detail).toContain('open after recent failures; retry in 14 s');
    expect(Number(response.headers['Content-Length'])).toBe(Buffer.byteLength(response.body));
  });

  it('shows forced-open as open on the wire, with its own problem type and detail', () => {
    const response = rejectionResponse(new Rejection('x', 'forced-open', 30_000));
    expect(response.headers['X-Circuit-Breaker-State']).toBe('open');
    expect(response.headers['Retry-After']).toBe('30');
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      type: FORCED_OPEN_PROBLEM_TYPE,
      state: 'open',
      retryAfter: 30,
    });
    expect(body.detail).toMatch(/forced open by an operator/);
    expect(body.detail).not.toMatch(/recent failures/);
  });

  it('tells a half-open refusal apart in its detail', () => {
    const body = JSON.parse(rejectionResponse(new Rejection('x', 'half-open', 1000)).body);
    expect(body).toMatchObject({ type: PROBLEM_TYPE, state: 'half-open', retryAfter: 1 });
    expect(body.detail).toMatch(/testing recovery/);
  });
});

describe('rejectionResponse reuse', () => {
  it('reuses the built response while the Retry-After second is the same, and rebuilds when it changes', () => {
    const rejection = new Rejection('db', 'open', 5_400);
    const first = rejectionResponse(rejection);
    expect(rejectionResponse(rejection)).toBe(first);
    expect(Object.isFrozen(first.headers)).toBe(true);
    expect(first.headers['Retry-After']).toBe('6');
    rejection.refresh(5_001);
    expect(rejectionResponse(rejection)).toBe(first);
    rejection.refresh(3_100);
    const later = rejectionResponse(rejection);
    expect(later).not.toBe(first);
    expect(later.headers['Retry-After']).toBe('4');
  });
});
