// Tests for parseGuardOptions: validation names the option; the breaker options are parsed once.

import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { isBreakerConfig } from '../configuration.js';
import type { CallOutcome } from '../options.js';
import { parseGuardOptions, readGuardOptions, type GuardOptions } from './guard-options.js';

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

describe('parseGuardOptions with inherited options', () => {
  it('reads options inherited from a prototype object', () => {
    const config = parseGuardOptions(
      Object.create({
        failureThreshold: 2,
        openDuration: 1234,
        maxBreakers: 7,
      }) as GuardOptions<unknown>,
    );
    expect(config.breaker).toMatchObject({ failureThreshold: 2, openDuration: 1234 });
    expect(config.maxBreakers).toBe(7);
    const breaker = new CircuitBreaker(config.breaker);
    expect(breaker.config.failureThreshold).toBe(2);
    expect(breaker.config.openDuration).toBe(1234);
  });

  it('reads a class instance whose options are getters, asking each getter once', () => {
    let asked = 0;
    class Options {
      get failureThreshold(): number {
        return 3;
      }
      get isFailure(): (outcome: CallOutcome) => boolean {
        asked++;
        return (outcome) => outcome.status === 418;
      }
      get key(): (request: unknown) => string {
        return () => 'tenant';
      }
    }
    const config = parseGuardOptions(new Options() as GuardOptions<unknown>);
    expect(config.breaker.failureThreshold).toBe(3);
    expect(config.breaker.isFailure!({ status: 418, durationMs: 0 })).toBe(true);
    expect(config.breaker.isFailure!({ status: 500, durationMs: 0 })).toBe(false);
    expect(config.key!({})).toBe('tenant');
    expect(asked).toBe(1);
  });

  it('rejects unknown inherited names like own ones: a typo in a base object or a class getter', () => {
    expect(() =>
      parseGuardOptions(Object.create({ failureTreshold: 2 }) as GuardOptions<unknown>),
    ).toThrow(/unknown option "failureTreshold"/);
    class Typo {
      get openDuratoin(): number {
        return 5;
      }
    }
    expect(() => parseGuardOptions(new Typo() as GuardOptions<unknown>)).toThrow(
      /unknown option "openDuratoin"/,
    );
  });

  it('validates inherited values like own ones', () => {
    expect(() =>
      parseGuardOptions(Object.create({ halfOpenMaxCalls: 0 }) as GuardOptions<unknown>),
    ).toThrow(/"halfOpenMaxCalls"/);
  });

  it('readGuardOptions copies known options, inherited ones included, into a plain object', () => {
    const copy = readGuardOptions(Object.create({ failureThreshold: 2, maxBreakers: 3 }));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toEqual({ failureThreshold: 2, maxBreakers: 3 });
  });

  it('keeps the user isFailure itself, so two guards sharing a breaker name agree', () => {
    const isFailure = (outcome: CallOutcome): boolean => outcome.status === 502;
    const a = parseGuardOptions({ isFailure });
    const b = parseGuardOptions({ isFailure });
    expect(a.breaker.isFailure).toBe(isFailure);
    expect(b.breaker.isFailure).toBe(isFailure);
  });
});
