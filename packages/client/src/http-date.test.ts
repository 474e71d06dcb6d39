// Unit tests for the strict HTTP-date parser.
import { describe, expect, it } from 'vitest';
import { parseHttpDate } from './http-date.js';

const EXPECTED = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW = Date.UTC(2026, 0, 1);

describe('parseHttpDate', () => {
  it('reads the IMF-fixdate form', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(EXPECTED);
  });

  it('reads the obsolete RFC 850 form, placing the two-digit year within 50 years', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(EXPECTED);
    expect(parseHttpDate('Thursday, 01-Jan-26 00:00:10 GMT', NOW)).toBe(
      Date.UTC(2026, 0, 1, 0, 0, 10),
    );
    // 2077 would be more than 50 years ahead of 2026, so 77 means 1977.
    expect(parseHttpDate('Thursday, 01-Jan-77 00:00:00 GMT', NOW)).toBe(Date.UTC(1977, 0, 1));
  });

  it('reads the asctime form with a space-padded day', () => {
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(EXPECTED);
  });

  it('ignores case and surrounding or doubled spaces', () => {
    expect(parseHttpDate('  sun,  06 NOV 1994  08:49:37 gmt ', NOW)).toBe(EXPECTED);
  });

  it('folds a leap second into the last second of the minute', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT', NOW)).toBe(
      Date.UTC(2016, 11, 31, 23, 59, 59),
    );
  });

  it.each([
    '',
    'soon',
    '120',
    '2026-01-01T00:00:00Z',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 06 Nov 1994 08:49:37',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 00 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Nov 1994 08:60:00 GMT',
    'Sun, 06 Nov 1994 08:49:61 GMT',
    'Sun, 06 Foo 1994 08:49:37 GMT',
    'Funday, 06 Nov 1994 08:49:37 GMT',
    'Sun, 6 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 GMT'.padEnd(200, 'x'),
  ])('refuses %j', (value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });
});
