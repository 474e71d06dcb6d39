// Joins the completion listener `on-finished` keeps on a response, instead of adding a listener of our own.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Called by `on-finished` once the response finished, or its connection closed or failed. */
export type FinishedListener = (error: unknown, res: ServerResponse) => void;

/**
 * The function `on-finished` stores on a response it watches (`res.__onFinished`): it calls every
 * entry of `queue` once, then sets `queue` to `null`. Its layout has been stable since
 * `on-finished` 2.0.
 */
interface OnFinishedListener {
  queue?: FinishedListener[] | null;
}

/**
 * Adds `listener` to the queue that `on-finished` already keeps on `res` (Koa registers one for
 * every request, before any middleware runs), so the response pays for no `close` listener of
 * its own: one array push instead, measurable on Koa's closed path. `on-finished` calls it when
 * the response finishes, or when its socket closes or fails first (a client that left, a server
 * cut-off): the same moments as the response's own `close`. Returns `false` (add a `close`
 * listener instead) when there is no such queue, and on HTTP/2, where `on-finished` watches the
 * session's socket, not the request's stream.
 */
export function joinFinishedQueue(
  req: IncomingMessage,
  res: ServerResponse,
  listener: FinishedListener,
): boolean {
  if (req.httpVersionMajor !== 1) return false;
  const watcher = (res as { __onFinished?: unknown }).__onFinished;
  if (typeof watcher !== 'function') return false;
  const queue = (watcher as OnFinishedListener).queue;
  if (!Array.isArray(queue)) return false;
  queue.push(listener);
  return true;
}
