// Marks a response as a breaker's own short-circuit, so that no breaker (nested or outer) records it.

import type { ServerResponse } from 'node:http';

const SHORT_CIRCUIT: unique symbol = Symbol.for('breakwater.short-circuit') as never;

/** Marks `res` as a short-circuit response written by a breaker. */
export function markShortCircuit(res: ServerResponse): void {
  (res as unknown as Record<symbol, boolean>)[SHORT_CIRCUIT] = true;
}

/** Whether `res` is a breaker's own short-circuit response. */
export function isShortCircuit(res: ServerResponse): boolean {
  return (res as unknown as Record<symbol, boolean | undefined>)[SHORT_CIRCUIT] === true;
}
