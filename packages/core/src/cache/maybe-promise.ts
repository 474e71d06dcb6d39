// Runs a step on a value that may or may not be a promise, staying synchronous when it is not.

import type { MaybePromise } from './cache-store.js';

/** Whether `value` is a thenable. */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * `next(produce())`, synchronously when neither returns a promise; any throw or rejection on the
 * way goes to `fail`, whose result is returned instead. Never throws, never rejects (unless `fail`
 * does).
 */
export function attempt<T, R>(
  produce: () => MaybePromise<T>,
  next: (value: T) => MaybePromise<R>,
  fail: (error: unknown) => R,
): MaybePromise<R> {
  try {
    const value = produce();
    if (isPromiseLike(value)) return Promise.resolve(value).then(next).catch(fail);
    const result = next(value);
    return isPromiseLike(result) ? Promise.resolve(result).catch(fail) : result;
  } catch (error) {
    return fail(error);
  }
}
