// Unit tests for the local 503: Retry-After rounded up, and the scope stated like the server states it.
import { describe, expect, it } from 'vitest';
import { shortCircuitProblem, shortCircuitResponse, wholeSeconds } from './short-circuit.js';

describe('wholeSeconds', () => {
  it.each([
    [0, 1],
    [-5, 1],
    [Number.NaN, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [1999, 2],
    [2000, 2],
    [29_000.5, 30],
  ])('%d ms → %d s (the remaining time rounded up, at least 1)', (ms, s) => {
    expect(wholeSeconds(ms)).toBe(s);
  });
});

describe('shortCircuitResponse', () => {
  it('states the scope in the header and the body when it can', async () => {
    const scope = { methods: ['GET', 'HEAD'], path: '/users/:id' } as const;
    const response = shortCircuitResponse(
      'http://a.test GET,HEAD /users/:id',
      'open',
      4200,
      'GET',
      scope,
    );
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(response.headers.get('X-Circuit-Breaker-Scope')).toBe('GET,HEAD /users/:id');
    expect(await response.json()).toMatchObject({ retryAfter: 5, scope });
  });

  it('leaves both out when the scope cannot be stated', async () => {
    const response = shortCircuitResponse('custom-key', 'half-open', 1000);
    expect(response.headers.has('X-Circuit-Breaker-Scope')).toBe(false);
    expect(await response.json()).not.toHaveProperty('scope');
    expect(shortCircuitProblem('k', 'open', 1000)).not.toHaveProperty('scope');
  });
});
