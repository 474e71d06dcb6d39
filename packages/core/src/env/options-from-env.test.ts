// optionsFromEnv(): global and per-name variables, validated like code options, naming a bad variable.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { optionsFromEnv } from './options-from-env.js';

describe('optionsFromEnv()', () => {
  it('reads global defaults and per-name options over them', () => {
    const env = optionsFromEnv({
      BREAKWATER_FAILURE_THRESHOLD: '5',
      BREAKWATER_OPEN_DURATION: '10000',
      BREAKWATER_PAYMENTS_API_FAILURE_THRESHOLD: '3',
      BREAKWATER_PAYMENTS_API_MODE: 'shadow',
      BREAKWATER_SEARCH_WINDOW_DURATION: '60000',
      BREAKWATER_REDIS: '1', // not an option: left alone
      PATH: '/usr/bin',
    });
    expect(env.defaults).toEqual({ failureThreshold: 5, openDuration: 10_000 });
    expect(env.byName('payments-api')).toEqual({
      failureThreshold: 3,
      openDuration: 10_000,
      mode: 'shadow',
    });
    expect(env.byName('search').window).toEqual({ type: 'time', duration: 60_000 });
    expect(env.byName('unknown')).toEqual(env.defaults);
    expect([...env.names].sort()).toEqual(['PAYMENTS_API', 'SEARCH']);
    const breaker = new CircuitBreaker({ registry: false, ...env.byName('payments-api') });
    expect(breaker.config.failureThreshold).toBe(3);
    expect(breaker.mode).toBe('shadow');
  });

  it('takes the longest option name, and a custom prefix', () => {
    const env = optionsFromEnv(
      { APP_CB_MAX_OPEN_DURATION: '60000', APP_CB_OPEN_DURATION: '1000', BREAKWATER_TIMEOUT: 'x' },
      { prefix: 'APP_CB_' },
    );
    expect(env.defaults).toEqual({ maxOpenDuration: 60_000, openDuration: 1000 });
  });

  it('throws a TypeError naming the variable and its value', () => {
    expect(() => optionsFromEnv({ BREAKWATER_PAYMENTS_FAILURE_THRESHOLD: 'three' })).toThrow(
      /BREAKWATER_PAYMENTS_FAILURE_THRESHOLD="three" invalid: option "failureThreshold" must be an integer/,
    );
    expect(() => optionsFromEnv({ BREAKWATER_MODE: 'loud' })).toThrow(
      /BREAKWATER_MODE="loud" invalid: option "mode"/,
    );
    expect(() => optionsFromEnv({ BREAKWATER_OPEN_DURATION_JITTER: '1.5' })).toThrow(
      /BREAKWATER_OPEN_DURATION_JITTER="1.5"/,
    );
  });

  it('checks variables together with the defaults they join', () => {
    expect(() =>
      optionsFromEnv({ BREAKWATER_OPEN_DURATION: '60000', BREAKWATER_X_MAX_OPEN_DURATION: '1000' }),
    ).toThrow(/BREAKWATER_X_MAX_OPEN_DURATION="1000" invalid: option "maxOpenDuration" must be ≥/);
    expect(() =>
      optionsFromEnv({ BREAKWATER_WINDOW_SIZE: '10', BREAKWATER_WINDOW_DURATION: '1000' }),
    ).toThrow(/they set the same option/);
  });

  it('treats an empty value as unset', () => {
    expect(optionsFromEnv({ BREAKWATER_FAILURE_THRESHOLD: '' }).defaults).toEqual({});
  });
});
