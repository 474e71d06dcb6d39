// Tests for WebGuard on Web-standard Request/Response alone (no server): admission, judging, answers, bodies.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { BreakerRegistry } from '../registry.js';
import type { GuardOptions } from './guard-options.js';
import type { WebCall } from './web-guard.js';
import { WebGuard, webResponse, type WebBinding } from './web-guard.js';

/** The context a Web adapter would pass: the request, and headers the app set before the guard. */
interface Ctx {
  readonly request: Request;
  readonly before: Headers;
}

const binding: WebBinding<Ctx> = {
  request: (ctx) => ctx.request,
  routeName: () => 'GET /r',
  getHeader: (ctx, name) => ctx.before.get(name) ?? undefined,
  setHeader: (ctx, name, value) => ctx.before.set(name, value),
  callOnReject: (onReject, ctx, rejection) =>
    (onReject as (ctx: Ctx, rejection: unknown) => Response | undefined)(ctx, rejection),
};

const ctxOf = (init: RequestInit & { headers?: Record<string, string> } = {}): Ctx => ({
  request: new Request('http://api.example/r?x=1', init),
  before: new Headers(),
});

function guardOf(options: GuardOptions<Ctx, unknown> = {}): {
  guard: WebGuard<Ctx>;
  registry: BreakerRegistry;
  clock: ManualClock;
} {
  const registry = new BreakerRegistry();
  const clock = new ManualClock();
  const guard = new WebGuard<Ctx>(
    { registry, clock, failureThreshold: 2, openDuration: 10_000, ...options },
    binding,
  );
  return { guard, registry, clock };
}

/** Runs one request through the guard with `respond` as the handler. */
async function run(
  guard: WebGuard<Ctx>,
  respond: () => Response,
  ctx: Ctx = ctxOf(),
  error?: unknown,
): Promise<Response> {
  const verdict = guard.enter(ctx);
  if (verdict === undefined) return respond();
  if (!verdict.admitted) {
    const answer = await guard.answer(ctx, verdict);
    return answer instanceof Response ? answer : webResponse(answer);
  }
  return verdict.finish(respond(), error, false);
}

const fail = (): Response => new Response('boom', { status: 500 });
const ok = (): Response => new Response('ok');

describe('WebGuard', () => {
  it('names the breaker after the route and stamps the state it ran in', async () => {
    const { guard, registry } = guardOf();
    const res = await run(guard, ok);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(registry.get('GET /r')?.snapshot().totals.success).toBe(1);
  });

  it('trips on 5xx and answers the 503 problem+json with Retry-After, merging the app’s expose list', async () => {
    const { guard } = guardOf();
    await run(guard, fail);
    await run(guard, fail);
    const ctx = ctxOf();
    ctx.before.set('Access-Control-Expose-Headers', 'X-Request-Id');
    const res = await run(guard, ok, ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'X-Request-Id, Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(await res.json()).toMatchObject({ breaker: 'GET /r', state: 'open' });
  });

  it('does not count an error that carries a 4xx status, and counts one without a status', async () => {
    const { guard, registry } = guardOf({ failureThreshold: 1 });
    const notFound = Object.assign(new Error('missing'), { status: 404 });
    await run(guard, () => new Response('no', { status: 404 }), ctxOf(), notFound);
    expect(registry.get('GET /r')?.state).toBe('closed');
    await run(guard, () => new Response('error', { status: 500 }), ctxOf(), new Error('x'));
    expect(registry.get('GET /r')?.state).toBe('open');
  });

  it('ignores a call whose client left before the response, and keeps a probe until its handler answers', async () => {
    const { guard, registry, clock } = guardOf({ failureThreshold: 1 });
    const left = guard.enter(ctxOf()) as WebCall;
    left.connectionClosed(false);
    const breaker = registry.get('GET /r')!;
    expect(breaker.snapshot().totals).toMatchObject({ ignored: 1, failure: 0 });
    await run(guard, fail);
    clock.advance(10_000);
    const probe = guard.enter(ctxOf()) as WebCall;
    probe.connectionClosed(false);
    expect(breaker.inFlight).toBe(1); // the half-open slot is still taken
    probe.finish(ok(), undefined, false);
    expect(breaker.inFlight).toBe(0);
    expect(breaker.state).toBe('half-open');
  });

  it('copies a response whose headers cannot change, and records a body that errors after the head', async () => {
    const { guard, registry } = guardOf({ failureThreshold: 1 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('partial'));
        controller.error(new Error('upstream broke'));
      },
    });
    const immutable = Response.error();
    const frozen = new Response(body, { status: 200 });
    Object.defineProperty(frozen, 'headers', { value: immutable.headers });
    const verdict = guard.enter(ctxOf()) as WebCall;
    const res = (await verdict.finish(frozen, undefined, true)) as Response;
    expect(res).not.toBe(frozen);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    await expect(res.text()).rejects.toThrow();
    expect(registry.get('GET /r')?.state).toBe('open');
  });

  it('serves the stored response while open, with Age and Cache-Status', async () => {
    const { guard, clock } = guardOf({ cache: true });
    const first = await run(
      guard,
      () =>
        new Response('hello', {
          headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=60' },
        }),
    );
    expect(await first.text()).toBe('hello'); // the body is captured as the client reads it
    await run(guard, fail);
    await run(guard, fail);
    clock.advance(3000);
    const served = await run(guard, ok);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('hello');
    expect(served.headers.get('age')).toBe('3');
    expect(served.headers.get('cache-status')).toBe('breakwater; hit; detail=circuit-open');
    expect(served.headers.get('x-circuit-breaker-state')).toBe('open');
    // the default (synchronous) store answers in the same call: no promise, no microtask
    const ctx = ctxOf();
    const refusal = guard.enter(ctx);
    if (refusal === undefined || refusal.admitted) throw new Error('expected a refusal');
    const answer = guard.answer(ctx, refusal);
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ status: 200, headers: { age: '3' } });
  });

  it('keys the cache on Node’s request when the binding hands one over, not on the Web one', async () => {
    // Node's request names another target than the Web one: what is stored and served follows it.
    const node = (url: string) => ({ method: 'GET', url, headers: { host: 'api.example' } });
    let nodeUrl = '/node-a';
    const onNode: WebBinding<Ctx> = { ...binding, nodeRequest: () => node(nodeUrl) };
    const guard = new WebGuard<Ctx>(
      {
        registry: new BreakerRegistry(),
        clock: new ManualClock(),
        failureThreshold: 2,
        cache: true,
      },
      onNode,
    );
    const first = await run(guard, () => new Response('from a'));
    await first.text();
    await run(guard, fail);
    await run(guard, fail);
    const servedA = await run(guard, ok);
    nodeUrl = '/node-b'; // the same Web request, another Node target: nothing stored for it
    const missedB = await run(guard, ok);
    expect([servedA.status, await servedA.text(), missedB.status]).toEqual([200, 'from a', 503]);
  });

  it('lets onReject answer with its own Response, the state header set first', async () => {
    const { guard } = guardOf({
      failureThreshold: 1,
      onReject: (ctx: Ctx) =>
        new Response('later', {
          status: 429,
          headers: { 'X-State': ctx.before.get('x-circuit-breaker-state')! },
        }),
    });
    await run(guard, fail);
    const res = await run(guard, ok);
    expect(res.status).toBe(429);
    expect(res.headers.get('x-state')).toBe('open');
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => new WebGuard<Ctx>({ failureThreshold: 0 }, binding)).toThrow(/failureThreshold/);
  });
});
