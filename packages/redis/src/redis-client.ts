// The slice of an ioredis connection the stores use, so tests and other clients can stand in.

/** Arguments Redis commands accept here. */
export type RedisArg = string | number | Buffer;

/**
 * What a store needs from the user's connection. An ioredis `Redis` satisfies it; so does any
 * client with these methods (for node-redis, wrap `sendCommand` in an object of this shape).
 */
export interface RedisClientLike {
  /** ioredis connection status: `ready` when commands can be sent. */
  readonly status: string;
  evalsha(sha: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  mget(...keys: string[]): Promise<unknown>;
  /** A new connection with the same options (the store subscribes on it and closes it). */
  duplicate(): RedisSubscriberLike;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** The dedicated subscriber connection a store makes with `duplicate()`. */
export interface RedisSubscriberLike {
  readonly status: string;
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** What {@link RedisCacheStore} needs from the user's connection (an ioredis `Redis` has it). */
export interface RedisCacheClientLike {
  evalsha(sha: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  /** GET returning the raw bytes. */
  getBuffer(key: string): Promise<Buffer | null>;
}
