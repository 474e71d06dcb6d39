// Stamps guarded Express-style responses through a hook on the app's own response prototype, not on each response.

import { OutgoingMessage, ServerResponse, type IncomingMessage } from 'node:http';
import type { GuardedCall, WriteHead } from './guarded-call.js';

/** An Express response (Express itself, or Nest on Express): Node's, with the per-request bag. */
type AppResponse = ServerResponse & { locals?: object };

/** Where the call lives between admission and the head: `res.locals`, Express's per-request bag. */
const CALL: unique symbol = Symbol('breakwater.express.call');
type Locals = { [CALL]?: GuardedCall } | undefined;

const hooked = new WeakSet<object>();

/**
 * Hooks `writeHead` once on `proto` (Express's per-app `app.response`). Returns `false` for Node's
 * own prototypes, which a library must never patch, and when there is no `writeHead` to wrap.
 */
function hookPrototype(proto: object): boolean {
  if (hooked.has(proto)) return true;
  if (proto === ServerResponse.prototype || proto === OutgoingMessage.prototype) return false;
  const inherited = (proto as { writeHead?: WriteHead }).writeHead;
  if (typeof inherited !== 'function') return false;
  Object.defineProperty(proto, 'writeHead', {
    configurable: true,
    writable: true,
    value: function breakwaterWriteHead(this: AppResponse): ServerResponse {
      const call = (this.locals as Locals)?.[CALL];
      // eslint-disable-next-line prefer-rest-params -- `arguments` avoids an array per response
      const args = arguments;
      return call === undefined
        ? inherited.apply(this, args as unknown as unknown[])
        : call.writeHeadThrough(this, args, inherited);
    },
  });
  hooked.add(proto);
  return true;
}

/**
 * Hooks an admitted call's head through the app's response prototype (Express's `app.response`,
 * so Nest on Express too), so the response object itself gains no property (Express responses
 * slow down measurably when one is added). For a binding's `attach`. Returns
 * `false`, for core to hook the response itself, for a nested guard, a response Express did not
 * set up, or one whose `writeHead` someone already wrapped on the object (`compression` does:
 * its wrapper would skip a prototype hook installed after it).
 */
export function hookResponsePrototype(
  call: GuardedCall,
  req: IncomingMessage,
  res: AppResponse,
): boolean {
  const locals = res.locals as Locals;
  if (locals === undefined || locals[CALL] !== undefined || Object.hasOwn(res, 'writeHead')) {
    return false;
  }
  if (!hookPrototype(Object.getPrototypeOf(res) as object)) return false;
  locals[CALL] = call;
  call.attachCloseOnly(req, res, closedThroughLocals);
  return true;
}

/** The `close` listener of a call kept in `res.locals` (shared: no closure per request). */
function closedThroughLocals(this: AppResponse): void {
  (this.locals as Locals)?.[CALL]?.closed(this);
}
