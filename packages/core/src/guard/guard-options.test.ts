// Tests for parseGuardOptions: validation names the option; isFailure is made safe.

import { describe, expect, it, vi } from 'vitest';
import { parseGuardOptions } from './guard-options.js';

describe('parseGuardOptions', () => {
  it('applies the adapter defaults', () => {
    const config = parseGuardOptions({});
    expect(config.maxBreakers).toBe(1000);
    expect(config.key).toBeUndefined();
    expect(config.name).toBeUndefined();
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

  it('keeps adapter options out of the breaker options', () => {
    const config = parseGuardOptions({ key: () => 'k', maxBreakers: 5, failureThreshold: 2 });
    expect(Object.keys(config.breaker)).toEqual(['failureThreshold']);
  });

  it('reports a throwing isFailure once and falls back to the default classification', () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const config = parseGuardOptions({
      logger,
      isFailure: () => {
        throw new Error('nope');
      },
    });
    const isFailure = config.breaker.isFailure!;
    expect(isFailure({ status: 200, durationMs: 0 })).toBe(false);
    expect(isFailure({ status: 502, durationMs: 0 })).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/isFailure/);
  });
});
