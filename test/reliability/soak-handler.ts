// The soak's route handler: behaves as the request's `x-soak-mode` says, and knows what it has pending.

import { Readable } from 'node:stream';
import type { Handler, Reply } from '../conformance/fixtures/index.js';

/** Delays of the slow and hanging modes (ms); `hang` must exceed the breaker's `timeout`. */
export interface SoakDelays {
  readonly slowMs: number;
  readonly hangMs: number;
}

/** A handler plus a way to wait until none of its timers is pending. */
export interface SoakHandler {
  readonly handler: Handler;
  /** Handler calls not yet answered (timers pending, streams not yet destroyed). */
  pending(): number;
  /** Resolves once nothing is pending (polls, at most `ms`). */
  drained(ms: number): Promise<void>;
}

/** Builds the handler. */
export function soakHandler(delays: SoakDelays): SoakHandler {
  let pending = 0;
  const later = (ms: number, reply: () => Reply): Promise<Reply> => {
    pending++;
    return new Promise((resolve) =>
      setTimeout(() => {
        pending--;
        resolve(reply());
      }, ms),
    );
  };
  const handler: Handler = (request) => {
    const mode = request.headers['x-soak-mode'];
    const ok = (): Reply => ({ status: 200, body: `ok:${String(request.headers['x-soak-id'])}` });
    switch (mode) {
      case 'slow':
        return later(Math.floor(Math.random() * delays.slowMs), ok);
      case 'hang':
        return later(delays.hangMs + Math.floor(Math.random() * 50), ok);
      case 'status500':
        return { status: 500, body: 'fail' };
      case 'throw':
        throw new Error('handler threw');
      case 'reject':
        return Promise.reject(new Error('handler rejected'));
      case 'abort': {
        // a head, part of the body, then an error: the framework must end the connection
        const stream = new Readable({ read() {} });
        stream.push('partial');
        pending++;
        setTimeout(() => {
          pending--;
          stream.destroy(new Error('aborted mid-body'));
        }, 5);
        return { status: 200, stream };
      }
      default:
        return ok();
    }
  };
  return {
    handler,
    pending: () => pending,
    async drained(ms) {
      const deadline = Date.now() + ms;
      while (pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
