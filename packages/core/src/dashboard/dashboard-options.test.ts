// parseDashboardOptions(): authorize required, every other option checked and defaulted once.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { BreakerRegistry, defaultRegistry } from '../registry.js';
import { parseDashboardOptions } from './dashboard-options.js';

const authorize = (): boolean => true;

describe('parseDashboardOptions', () => {
  it('requires authorize and names it when it is missing or not a function', () => {
    // @ts-expect-error: authorize is required
    expect(() => parseDashboardOptions({})).toThrow(/option "authorize" must be a function/);
    expect(() => parseDashboardOptions({ authorize: true as never })).toThrow(TypeError);
    // @ts-expect-error: options are required
    expect(() => parseDashboardOptions(undefined)).toThrow(/option "options"/);
  });

  it('applies the defaults', () => {
    const config = parseDashboardOptions({ authorize });
    expect(config).toMatchObject({
      registry: defaultRegistry,
      maxClients: 16,
      adminPath: undefined,
      title: 'Breakwater',
      updateInterval: 250,
      heartbeatInterval: 15_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps the given registry, clock and limits, and trims a trailing slash off adminPath', () => {
    const registry = new BreakerRegistry();
    const clock = new ManualClock();
    const config = parseDashboardOptions({
      authorize,
      registry,
      clock,
      maxClients: 2,
      adminPath: '/admin/breakwater/',
      updateInterval: 500,
    });
    expect(config).toMatchObject({ registry, clock, maxClients: 2, updateInterval: 500 });
    expect(config.adminPath).toBe('/admin/breakwater');
  });

  it.each([
    [{ maxClients: 0 }, /"maxClients"/],
    [{ maxClients: 1.5 }, /"maxClients"/],
    [{ adminPath: 'admin' }, /"adminPath" must be a path starting with "\/"/],
    [{ adminPath: '/a"><script>' }, /"adminPath"/],
    [{ registry: {} }, /"registry"/],
    [{ title: '' }, /"title"/],
    [{ updateInterval: 10 }, /"updateInterval".*from 50 to 5000/],
    [{ heartbeatInterval: -1 }, /"heartbeatInterval"/],
    [{ clock: Date }, /"clock"/],
    [{ refresh: 1 }, /unknown option "refresh"/],
  ])('refuses %o', (bad, message) => {
    expect(() => parseDashboardOptions({ authorize, ...(bad as object) })).toThrow(message);
  });
});
