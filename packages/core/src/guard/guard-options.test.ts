// Tests for parseGuardOptions: validation names the option; the breaker options are parsed once.

import { describe, expect, it } from 'vitest';
import { isBreakerConfig } from '../configuration.js';
import { parseGuardOptions } from './guard-options.js';

describe('parseGuardOptions', () => {
  it('applies the adapter defaults', () => {
    const config = parseGuardOptions({});
    expect(config.maxBreakers).toBe(1000);
    expect(config.key).toBeUndefined();
    expect(config.breaker.name).toBeUndefined();
  });

  it.each([
    ['failureTreshold', { failureTreshold: 3 }],
    ['maxBreakers', { maxBreakers: 0 }],
    ['key', { key: 'ip' }],
    ['skip', { skip: 1 }],
    ['onReject', { onReject: {} }],
    ['cache', { cache: 'yes' }],
    ['halfOpenMaxCalls', { halfOpenMaxCalls: 0 }],
  ])('throws a TypeError naming %s', (name, options) => {
    expect(() => parseGuardOptions(options as never)).toThrow(TypeError);
    expect(() => parseGuardOptions(options as never)).toThrow(name);
  });

  it('accepts cache as true or an object, for the cache to interpret', () => {
    expect(parseGuardOptions({ cache: true }).cache).toBe(true);
    expect(parseGuardOptions({ cache: { maxStale: 1 } }).cache).toEqual({ maxStale: 1 });
  });

  it('parses the breaker options once, into the configuration every breaker is built from', () => {
    const config = parseGuardOptions({ key: () => 'k', maxBreakers: 5, failureThreshold: 2 });
    expect(config.breaker.failureThreshold).toBe(2);
    expect(config.breaker).not.toHaveProperty('key');
    expect(config.maxBreakers).toBe(5);
    expect(isBreakerConfig(config.breaker)).toBe(true);
  });
});
