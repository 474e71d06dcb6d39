// RedisStore options: defaults, and TypeErrors that name the bad option.

import { describe, expect, it } from 'vitest';
import { parseRedisStoreOptions } from './options.js';
import type { RedisClientLike } from './redis-client.js';

const client = {
  evalsha: () => undefined,
  duplicate: () => undefined,
} as unknown as RedisClientLike;

describe('parseRedisStoreOptions', () => {
  it('fills in the defaults', () => {
    expect(parseRedisStoreOptions({ client })).toMatchObject({
      prefix: 'breakwater:',
      stateTtl: 600_000,
      commandTimeout: 1000,
      coordinateProbes: false,
      probeLeaseTimeout: 200,
      shareCounts: false,
      syncInterval: 1000,
      countsHorizon: 60_000,
    });
  });

  it.each([
    [{ client: undefined }, 'client'],
    [{ client: {} }, 'client'],
    [{ client, prefix: 7 }, 'prefix'],
    [{ client, syncInterval: 0 }, 'syncInterval'],
    [{ client, commandTimeout: 1.5 }, 'commandTimeout'],
    [{ client, shareCounts: 'yes' }, 'shareCounts'],
    [{ client, logger: {} }, 'logger'],
    [{ client, sharecounts: true }, 'sharecounts'],
    [{ client: { ...client, isCluster: true } }, 'client'],
  ])('rejects %o naming %s', (options, name) => {
    expect(() => parseRedisStoreOptions(options as never)).toThrow(TypeError);
    expect(() => parseRedisStoreOptions(options as never)).toThrow(name);
  });
});
