// Unit tests for reading Retry-After values defensively, hostile ones included.
import { describe, expect, it } from 'vitest';
import { clampDelay, parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number): string => new Date(ms).toUTCString();
const ref = { now: NOW };

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('120', ref)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', ref)).toBe(7000);
    expect(parseRetryAfter('0', ref)).toBe(0);
    expect(parseRetryAfter('007', ref)).toBe(7000);
  });

  it('rounds a fractional value up to whole seconds', () => {
    expect(parseRetryAfter('1.2', ref)).toBe(2000);
  });

  it('measures an HTTP-date from the response Date header when there is one', () => {
    // The client's clock is an hour ahead; the server's own Date keeps the wait at 30 s.
    expect(
      parseRetryAfter(at(NOW - 3_600_000 + 30_000), { now: NOW, date: at(NOW - 3_600_000) }),
    ).toBe(30_000);
  });

  it('measures an HTTP-date from the client clock when Date is missing or garbage', () => {
    expect(parseRetryAfter(at(NOW + 45_000), ref)).toBe(45_000);
    expect(parseRetryAfter(at(NOW + 45_000), { now: NOW, date: 'yesterday' })).toBe(45_000);
  });

  it('gives a negative delay for a date in the past and a huge one for the far future', () => {
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', ref)).toBe(-NOW);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', ref)).toBeGreaterThan(1e14);
  });

  it('reads absurdly many digits as Infinity rather than wrapping or throwing', () => {
    expect(parseRetryAfter('9'.repeat(400), ref)).toBe(Infinity);
  });

  it.each(['-5', '+5', '1e3', '0x10', '5s', 'Infinity', 'NaN', '', '   ', 'soon', 'Sun,'])(
    'finds nothing in %j',
    (value) => {
      expect(parseRetryAfter(value, ref)).toBeUndefined();
    },
  );

  it('finds nothing in null, undefined or an overlong value', () => {
    expect(parseRetryAfter(null, ref)).toBeUndefined();
    expect(parseRetryAfter(undefined, ref)).toBeUndefined();
    expect(parseRetryAfter('1'.padStart(600, ' 0'), ref)).toBeUndefined();
  });

  it('takes the longest of several values, dates (with their commas) included', () => {
    expect(parseRetryAfter('5, 30', ref)).toBe(30_000);
    expect(parseRetryAfter(`${at(NOW + 60_000)}, 10`, ref)).toBe(60_000);
    expect(parseRetryAfter(`10, ${at(NOW + 60_000)}`, ref)).toBe(60_000);
    expect(parseRetryAfter('garbage, 12', ref)).toBe(12_000);
  });
});

describe('clampDelay', () => {
  it('bounds a delay to the range and replaces missing or NaN values by the fallback', () => {
    expect(clampDelay(Infinity, 1000, 300_000)).toBe(300_000);
    expect(clampDelay(-5, 1000, 300_000)).toBe(1000);
    expect(clampDelay(5000, 1000, 300_000)).toBe(5000);
    expect(clampDelay(undefined, 1000, 300_000)).toBe(1000);
    expect(clampDelay(Number.NaN, 1000, 300_000, 2000)).toBe(2000);
  });
});
