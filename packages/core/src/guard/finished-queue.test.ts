// Tests that an admitted call joins on-finished's queue where the framework keeps one (Koa), over real sockets.

import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveForTest, waitFor } from '@breakwater/test-support';
import onFinished from 'on-finished';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { BreakerRegistry } from '../registry.js';
import { isAdmitted, RequestGuard, type FrameworkBinding } from './guard.js';

const binding: FrameworkBinding<IncomingMessage, ServerResponse> = {
  rawRequest: (req) => req,
  rawResponse: (_req, res) => res,
  getHeader: (_req, res, name) => res.getHeader(name),
  send: (_req, res, reply) => void res.writeHead(reply.status).end(reply.body),
  callOnReject: () => undefined,
  responded: (_req, res) => res.headersSent,
};

interface Seen {
  /** `close` listeners on the response before and after the guard admitted it. */
  closeListeners?: [number, number];
}

/**
 * A server guarding each request; `watched`: whether on-finished watches the response first, as
 * Koa does for every request; `handle` answers the admitted request.
 */
async function guardedServer(
  watched: boolean,
  handle: (res: ServerResponse) => void,
): Promise<{ url: string; guard: RequestGuard<IncomingMessage, ServerResponse>; seen: Seen }> {
  const registry = new BreakerRegistry();
  const guard = new RequestGuard({ registry, clock: new ManualClock(), name: 'q' }, binding);
  const seen: Seen = {};
  const url = await serveForTest((req, res) => {
    if (watched) onFinished(res, () => undefined);
    const before = res.listenerCount('close');
    const verdict = guard.enter(req, res);
    seen.closeListeners = [before, res.listenerCount('close')];
    if (isAdmitted(verdict)) handle(res);
  });
  return { url, guard, seen };
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      res.resume();
      res.on('close', () => resolve(res.statusCode!)); // also when the server breaks the body off
    })
      .on('error', reject)
      .end();
  });
}

describe('an admitted call on a response on-finished watches', () => {
  it('adds no close listener and is still judged by its head', async () => {
    const { url, guard, seen } = await guardedServer(true, (res) => res.writeHead(502).end());
    expect(await get(url)).toBe(502);
    const breaker = guard.breakers()[0]!;
    await waitFor(() => breaker.snapshot().totals.failure === 1, 2000, 'the 502 to be recorded');
    expect(seen.closeListeners).toEqual([0, 0]);
  });

  it('is released at once when its client leaves before the head', async () => {
    const pending: ServerResponse[] = [];
    const { url, guard } = await guardedServer(true, (res) => pending.push(res));
    const leaving = request(url, { agent: false }).on('error', () => undefined);
    leaving.end();
    await waitFor(() => pending.length === 1, 2000, 'the handler');
    const breaker = guard.breakers()[0]!;
    expect(breaker.snapshot().inFlight).toBe(1);
    leaving.destroy();
    await waitFor(() => breaker.snapshot().inFlight === 0, 2000, 'the call to be released');
    expect(breaker.snapshot().totals).toMatchObject({ ignored: 1, success: 0, failure: 0 });
    pending[0]!.writeHead(500).end(); // the handler answers late: nothing more is recorded
    expect(breaker.snapshot().totals).toMatchObject({ ignored: 1, failure: 0 });
  });

  it('records a body the server breaks off after the head', async () => {
    const { url, guard } = await guardedServer(true, (res) => {
      res.writeHead(200).write('partial');
      setImmediate(() => res.destroy(new Error('the upstream broke')));
    });
    expect(await get(url)).toBe(200);
    const breaker = guard.breakers()[0]!;
    await waitFor(() => breaker.snapshot().totals.failure === 1, 2000, 'the cut-off');
    expect(breaker.snapshot().totals.success).toBe(1);
  });

  it('falls back to a close listener of its own on a response nobody watches', async () => {
    const { url, seen } = await guardedServer(false, (res) => res.end('ok'));
    expect(await get(url)).toBe(200);
    expect(seen.closeListeners).toEqual([0, 1]);
  });
});
