// RedisStore options, parsed once into a frozen, fully defaulted configuration.

import { consoleLogger, type Logger } from '@breakwater/core';
import { invalidOption } from '@breakwater/core/adapter';
import type { RedisClientLike } from './redis-client.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** An ioredis connection you own; the store never closes it. */
  client: RedisClientLike;
  /** Prefix of every key and of the channel. @defaultValue `'breakwater:'` */
  prefix?: string;
  /** Where outages and recoveries are logged (once each). @defaultValue `console` */
  logger?: Logger;
  /** Milliseconds a state record outlives its reopen time (closed records: this long). @defaultValue 600000 */
  stateTtl?: number;
  /** Milliseconds the store waits for any Redis reply before counting an error. @defaultValue 1000 */
  commandTimeout?: number;
  /** Fleet-wide half-open: one replica at a time (a Redis lease) sends the probes. @defaultValue false */
  coordinateProbes?: boolean;
  /**
   * Milliseconds before the reopen time at which a replica asks for the probe lease, and the most
   * a half-open replica holds its probes while the answer is missing before deciding locally.
   * @defaultValue 200
   */
  probeLeaseTimeout?: number;
  /** Judge failure and slow-call rates on the whole fleet's traffic. @defaultValue false */
  shareCounts?: boolean;
  /** Milliseconds between two count synchronisations (`shareCounts`). @defaultValue 1000 */
  syncInterval?: number;
  /**
   * Milliseconds of fleet traffic the rates are judged on for breakers with a count window
   * (`shareCounts`; a time window uses its own duration). @defaultValue 60000
   */
  countsHorizon?: number;
}

/** The parsed form of {@link RedisStoreOptions}. */
export interface RedisStoreConfig {
  readonly client: RedisClientLike;
  readonly prefix: string;
  readonly logger: Logger;
  readonly stateTtl: number;
  readonly commandTimeout: number;
  readonly coordinateProbes: boolean;
  readonly probeLeaseTimeout: number;
  readonly shareCounts: boolean;
  readonly syncInterval: number;
  readonly countsHorizon: number;
}

const KNOWN = new Set([
  'client',
  'prefix',
  'logger',
  'stateTtl',
  'commandTimeout',
  'coordinateProbes',
  'probeLeaseTimeout',
  'shareCounts',
  'syncInterval',
  'countsHorizon',
]);

function ms(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 2_147_483_647)
    invalidOption(name, value, `a whole number of milliseconds ≥ ${min}`);
  return value;
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalidOption(name, value, 'a boolean');
  return value;
}

/** Validates and defaults {@link RedisStoreOptions}; throws a `TypeError` naming the bad option. */
export function parseRedisStoreOptions(options: RedisStoreOptions): RedisStoreConfig {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', options, 'an object with a `client`');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`Breakwater: unknown option "${key}" in RedisStore`);
  }
  const client = options.client as unknown;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof (client as RedisClientLike).evalsha !== 'function' ||
    typeof (client as RedisClientLike).duplicate !== 'function'
  ) {
    invalidOption('client', client, 'an ioredis connection');
  }
  if (
    (client as RedisClientLike).isCluster === true &&
    typeof (client as RedisClientLike).get !== 'function'
  )
    invalidOption('client', client, 'an ioredis Cluster (a cluster client needs get())');
  const prefix = options.prefix ?? 'breakwater:';
  if (typeof prefix !== 'string' || prefix.length > 256)
    invalidOption('prefix', prefix, 'a string of at most 256 characters');
  const logger = options.logger ?? consoleLogger;
  if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function')
    invalidOption('logger', logger, 'an object with warn() and error()');
  return Object.freeze({
    client: client as RedisClientLike,
    prefix,
    logger,
    stateTtl: ms('stateTtl', options.stateTtl, 600_000, 1000),
    commandTimeout: ms('commandTimeout', options.commandTimeout, 1000, 1),
    coordinateProbes: flag('coordinateProbes', options.coordinateProbes),
    probeLeaseTimeout: ms('probeLeaseTimeout', options.probeLeaseTimeout, 200, 1),
    shareCounts: flag('shareCounts', options.shareCounts),
    syncInterval: ms('syncInterval', options.syncInterval, 1000, 10),
    countsHorizon: ms('countsHorizon', options.countsHorizon, 60_000, 1000),
  });
}
