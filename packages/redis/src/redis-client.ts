// The slice of an ioredis connection (a `Redis` or a `Cluster`) the stores use, so tests and other clients can stand in.

/** Arguments Redis commands accept here. */
export type RedisArg = string | number | Buffer;

/**
 * What a store needs from the user's connection. An ioredis `Redis` satisfies it, and so does an
 * ioredis `Cluster` (`isCluster: true`: the store then uses the Redis Cluster key layout and
 * sharded pub/sub); so does any client with these methods (for node-redis, wrap `sendCommand` in
 * an object of this shape).
 */
export interface RedisClientLike {
  /** ioredis connection status: `ready` when commands can be sent. */
  readonly status: string;
  /** `true` on an ioredis `Cluster`: keys are hash-tagged per breaker, state travels on SPUBLISH. */
  readonly isCluster?: boolean;
  evalsha(sha: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  mget(...keys: string[]): Promise<unknown>;
  /** GET; required on a cluster, where records of several slots are read key by key. */
  get?(key: string): Promise<unknown>;
  /**
   * A new connection with the same options (the store subscribes on it and closes it). On a
   * `Cluster` the store calls `duplicate([], { shardedSubscribers: true })`.
   */
  duplicate(): RedisSubscriberLike;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** The dedicated subscriber connection a store makes with `duplicate()`. */
export interface RedisSubscriberLike {
  readonly status: string;
  subscribe(...channels: string[]): Promise<unknown>;
  /** Sharded SUBSCRIBE (Redis ≥ 7); required on a cluster. */
  ssubscribe?(...channels: string[]): Promise<unknown>;
  /** Sharded UNSUBSCRIBE; required on a cluster. */
  sunsubscribe?(...channels: string[]): Promise<unknown>;
  /** ioredis `Cluster`: re-reads the slot map (the store asks for it after an outage). */
  refreshSlotsCache?(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** What {@link RedisCacheStore} needs from the user's connection (an ioredis `Redis` or `Cluster` has it). */
export interface RedisCacheClientLike {
  /** `true` on an ioredis `Cluster`: cache keys are spread over hash-tagged shards. */
  readonly isCluster?: boolean;
  evalsha(sha: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  /** GET returning the raw bytes. */
  getBuffer(key: string): Promise<Buffer | null>;
}
