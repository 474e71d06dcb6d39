// Marks a response as a breaker's own short-circuit, so that no breaker (nested or outer) records it.

import type { ServerResponse } from 'node:http';
import { NODE_WRITE_HEAD, NODE_WRITE_HEAD_2 } from './node-response.js';

/**
 * The marked responses. A set, not a property on the response: an admitted request asks on every
 * head, and a property the response lacks is a slow lookup along its prototype chain on responses
 * whose shape changes per request (Express's). Kept on `globalThis` under a registered symbol so that
 * every copy of core in the process (ESM and CJS, two versions) shares it.
 */
const SHARED: unique symbol = Symbol.for('breakwater.short-circuits') as never;
const holder = globalThis as { [SHARED]?: WeakSet<ServerResponse> };
if (holder[SHARED] === undefined) {
  Object.defineProperty(holder, SHARED, { value: new WeakSet(), enumerable: false });
}
const marked = holder[SHARED]!;

/**
 * Marks `res` as a short-circuit response written by a breaker, for the breakers already watching
 * it. Only a hook on its `writeHead` (an outer guard's, on the response or on the app's response
 * prototype) ever asks, so a response whose `writeHead` is still Node's own is not added: an open
 * breaker answering thousands of requests a second would otherwise give the set as many entries
 * for the collector to clear.
 */
export function markShortCircuit(res: ServerResponse): void {
  const writeHead: unknown = res.writeHead;
  if (writeHead === NODE_WRITE_HEAD || writeHead === NODE_WRITE_HEAD_2) return;
  marked.add(res);
}

/**
 * Whether `res` is a breaker's own short-circuit response (asked by the `writeHead` hooks of
 * breakers watching it; see {@link markShortCircuit}).
 */
export function isShortCircuit(res: ServerResponse): boolean {
  return marked.has(res);
}
