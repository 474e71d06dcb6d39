// An abortable wait on the client's clock.

import type { ClientClock } from './clock.js';

/**
 * Resolves after `ms` on `clock`. If `signal` aborts first, rejects at once with the signal's
 * reason and cancels the timer; an already-aborted signal rejects without scheduling anything.
 */
export function abortableWait(
  clock: ClientClock,
  ms: number,
  signal: AbortSignal | null | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
