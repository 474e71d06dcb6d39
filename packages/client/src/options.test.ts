// Unit tests for option parsing and validation.
import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { parseOptions, type ClientOptions } from './options.js';

describe('parseOptions', () => {
  it('applies the documented defaults', () => {
    const config = parseOptions();
    expect(config.maxRetryAfter).toBe(300_000);
    expect(config.maxScopes).toBe(1000);
    expect(config.probeTimeout).toBe(30_000);
    expect(config.honorUnmarked503).toBe(false);
    expect(config.honorServerScope).toBe(true);
    expect(config.retry).toBeUndefined();
    expect(config.clock).toBe(systemClock);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fills retry defaults from `true`', () => {
    const retry = parseOptions({ retry: true }).retry!;
    expect(retry.maxRetries).toBe(2);
    expect(retry.maxDelay).toBe(30_000);
    expect(retry.jitter).toBe('full');
    expect([...retry.methods]).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
  });

  it.each<[ClientOptions, RegExp]>([
    [{ maxScopes: 0 }, /maxScopes must be an integer from 1 .* received 0/],
    [{ maxScopes: 1.5 }, /maxScopes/],
    [{ maxRetryAfter: -1 }, /maxRetryAfter .* received -1/],
    [{ maxRetryAfter: Infinity }, /maxRetryAfter/],
    [{ probeTimeout: Number.NaN }, /probeTimeout/],
    [{ scope: 'host' as never }, /scope must be .* received "host"/],
    [{ pathPrefix: -1 }, /pathPrefix/],
    [{ retry: { maxRetries: -1 } }, /retry.maxRetries/],
    [{ retry: { jitter: 'equal' as never } }, /retry.jitter .* received "equal"/],
    [{ retry: { methods: 'GET' as never } }, /retry.methods/],
    [{ retry: 3 as never }, /retry must be a boolean or an object/],
    [{ fetch: 'fetch' as never }, /fetch must be a function/],
    [{ onOpen: {} as never }, /onOpen must be a function/],
    [{ honorUnmarked503: 'yes' as never }, /honorUnmarked503 must be a boolean/],
    [{ honorServerScope: 1 as never }, /honorServerScope must be a boolean, received 1/],
    [{ clock: { now: () => 1 } as never }, /clock must have now\(\) and setTimer/],
  ])('refuses %o', (options, message) => {
    expect(() => parseOptions(options)).toThrow(message);
  });
});
