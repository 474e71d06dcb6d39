// Behaviour of the bounded Cache-Control parser the fallback cache decides on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CACHE_CONTROL_LENGTH,
  parseCacheControl,
  requestForbidsStore,
} from './cache-control.js';

describe('parseCacheControl', () => {
  it('finds nothing in an absent or empty value', () => {
    expect(parseCacheControl(undefined)).toMatchObject({
      noStore: false,
      private: false,
      noStale: false,
    });
    expect(parseCacheControl('')).toMatchObject({ noStore: false, staleIfError: undefined });
    expect(parseCacheControl('public, max-age=60')).toMatchObject({
      noStore: false,
      private: false,
      noStale: false,
      malformed: false,
    });
  });

  it('reads no-store and private case-insensitively, qualified private included', () => {
    expect(parseCacheControl('No-Store').noStore).toBe(true);
    expect(parseCacheControl('max-age=5, PRIVATE').private).toBe(true);
    expect(parseCacheControl('private="set-cookie, x-user", max-age=5').private).toBe(true);
  });

  it.each([
    'no-cache',
    'must-revalidate',
    'proxy-revalidate',
    's-maxage=60',
    'no-cache="set-cookie"',
  ])('treats %s as forbidding stale use', (value) => {
    expect(parseCacheControl(`public, ${value}`).noStale).toBe(true);
  });

  it('reads stale-if-error seconds, the smallest when repeated, and ignores bad arguments', () => {
    expect(parseCacheControl('max-age=1, stale-if-error=120').staleIfError).toBe(120);
    expect(parseCacheControl('stale-if-error="30"').staleIfError).toBe(30);
    expect(parseCacheControl('stale-if-error=90, stale-if-error=10').staleIfError).toBe(10);
    expect(parseCacheControl('stale-if-error=-5').staleIfError).toBeUndefined();
    expect(parseCacheControl('stale-if-error=abc').staleIfError).toBeUndefined();
    expect(parseCacheControl('stale-if-error').staleIfError).toBeUndefined();
  });

  it('does not split on commas inside quoted arguments', () => {
    const parsed = parseCacheControl('ext="a, no-store, b", max-age=3');
    expect(parsed.noStore).toBe(false);
    expect(parsed.malformed).toBe(false);
  });

  it('joins repeated header lines', () => {
    expect(parseCacheControl(['max-age=3', 'no-store']).noStore).toBe(true);
  });

  it('counts unbalanced quotes and over-long values as malformed, which forbids storing', () => {
    expect(parseCacheControl('max-age=3, ext="unterminated')).toMatchObject({
      malformed: true,
      noStore: true,
    });
    const long = `max-age=1, ${'x'.repeat(MAX_CACHE_CONTROL_LENGTH)}`;
    expect(parseCacheControl(long)).toMatchObject({ malformed: true, noStore: true });
    expect(parseCacheControl('"no-store"')).toMatchObject({ malformed: true, noStore: true });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        const parsed = parseCacheControl(value);
        expect(typeof parsed.noStore).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('requestForbidsStore', () => {
  it('is true only for a request no-store directive', () => {
    expect(requestForbidsStore(undefined)).toBe(false);
    expect(requestForbidsStore('no-cache')).toBe(false);
    expect(requestForbidsStore('max-age=0, no-store')).toBe(true);
    expect(requestForbidsStore('ext="no-store"')).toBe(false);
  });
});
