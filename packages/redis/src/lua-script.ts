// A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet.

import { createHash } from 'node:crypto';
import type { RedisArg, RedisClientLike } from './redis-client.js';

/** A client that can run scripts. */
export type ScriptRunner = Pick<RedisClientLike, 'evalsha' | 'eval'>;

/** Raised when Redis did not answer within the store's command timeout. */
export class RedisTimeoutError extends Error {
  /** Marker checked by code that must not depend on `instanceof`. */
  readonly code = 'BREAKWATER_REDIS_TIMEOUT' as const;

  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** A Lua script and its SHA-1, run atomically on the server. */
export class LuaScript {
  /** The script's SHA-1, as EVALSHA wants it. */
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Runs the script: EVALSHA first, EVAL when the server answers NOSCRIPT (after a restart or a
   * SCRIPT FLUSH). Rejects with {@link RedisTimeoutError} after `timeoutMs`.
   */
  run(
    client: ScriptRunner,
    keys: readonly string[],
    args: readonly RedisArg[],
    timeoutMs: number,
  ): Promise<unknown> {
    const call = client.evalsha(this.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    });
    return withTimeout(call, timeoutMs);
  }
}

/** Settles like `promise`, or rejects with {@link RedisTimeoutError} after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
