// One admitted request: stamps the state headers on its response head and settles its permit there.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { Permit, timedClass, type PermitClass, type PermitOwner, type Timed } from '../permit.js';
import { wireState } from '../state.js';
import { brokenOffByServer } from './broken-off.js';
import { joinFinishedQueue } from './finished-queue.js';
import { stampHead, writeHeadWith } from './head-stamp.js';
import { isShortCircuit } from './short-circuit.js';

/** {@link GuardedCall}'s progress. */
const enum Phase {
  Pending,
  ClientGone,
  HeadWritten,
}

/** Node's `writeHead`, as the hooks call it. */
export type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** Where a hooked response keeps its call, so that the shared hook functions can find it. */
const CALL: unique symbol = Symbol('breakwater.call') as never;
type Hooked = ServerResponse & { [CALL]?: GuardedCall };

/**
 * An admitted request, and its permit: the breaker makes it (`tryAcquireAs`), so that a request
 * costs one object, not a permit and a call. The settlement rule, the same on every adapter:
 * - the outcome is judged when the response head is written: its status (and the error the
 *   framework reported, if any) goes through `isFailure`; `timeout` and a probe's expiry measure
 *   the time to the head, so long healthy streams (SSE, downloads) work through every state;
 * - a body the server breaks off after the head (a stream error, a destroyed socket or HTTP/2
 *   stream) is recorded as one more failure when it happens;
 * - a client that leaves before the head is neither success nor failure; a probe whose client left
 *   keeps its half-open slot until its handler answers (or the probe expires), so that
 *   `halfOpenMaxCalls` bounds handler runs, not connections.
 */
export class GuardedCall extends Permit {
  // Declared and set in the constructor, not class fields: see Permit (TimedGuardedCall extends this).
  /** @internal The raw request. */
  declare req: IncomingMessage | undefined;
  /** @internal The `writeHead` the hook wraps (per-response hooks only). */
  declare writeHead: WriteHead | undefined;
  declare private status: number | undefined;
  declare private error: unknown;
  /** Where the call is: before its head, its client gone before the head, or its head written. */
  declare private phase: Phase;
  /** @internal Whether a head written while closed carries `X-Circuit-Breaker-State` (`stateHeader`). */
  declare stampClosed: boolean;

  constructor(owner: PermitOwner, generation: number, startedAt: number, probe: boolean) {
    super(owner, generation, startedAt, probe);
    this.req = undefined;
    this.writeHead = undefined;
    this.status = undefined;
    this.error = undefined;
    this.phase = Phase.Pending;
    this.stampClosed = true;
  }

  /** The breaker that admitted the call. */
  get breaker(): CircuitBreaker {
    return this.owner as CircuitBreaker;
  }

  /**
   * @internal Hooks `res`: the head stamps and settles; its end (`close`, or `on-finished`'s queue
   * where the framework keeps one) tells aborts and cut-offs apart.
   */
  attach(req: IncomingMessage, res: ServerResponse): void {
    this.req = req;
    const hooked = res as Hooked;
    this.writeHead = res.writeHead as WriteHead;
    // A read, not Object.hasOwn (a runtime lookup per call): Node's responses keep one shape, so
    // V8 caches the miss. (Express's change shape per request: its adapter hooks its prototype.)
    if (hooked[CALL] === undefined) {
      hooked[CALL] = this;
      res.writeHead = GuardedCall.hookedWriteHead as ServerResponse['writeHead'];
      if (!joinFinishedQueue(req, res, finishedHook)) res.on('close', closedHook);
    } else {
      // A nested guard on the same response: closures of its own (rare).
      const writeHead = this.writeHead;
      res.writeHead = ((...args: unknown[]) =>
        this.writeHeadThrough(res, args, writeHead)) as ServerResponse['writeHead'];
      res.on('close', () => this.closed(res));
    }
  }

  /**
   * Like {@link GuardedCall.attach}, for an adapter that stamps the head through a hook of
   * its own (calling {@link GuardedCall.writeHeadThrough}): adds only the `close` listener,
   * `onClose` when given (a shared listener that finds this call on the response, which it is
   * called on), else one of its own.
   */
  attachCloseOnly(req: IncomingMessage, res: ServerResponse, onClose?: () => void): void {
    this.req = req;
    res.on('close', onClose ?? (() => this.closed(res)));
  }

  /**
   * Stamps `X-Circuit-Breaker-State` and the expose list, writes the head through
   * `writeHead`, and settles the call by the status written.
   */
  writeHeadThrough(
    res: ServerResponse,
    args: ArrayLike<unknown>,
    writeHead: WriteHead,
  ): ServerResponse {
    const shortCircuit = isShortCircuit(res);
    const headers = shortCircuit
      ? undefined
      : this.stamp(res, typeof args[1] === 'object' ? args[1] : args[2]);
    const written =
      headers === undefined
        ? writeHead.apply(res, args as unknown[])
        : writeHeadWith(res, writeHead, args, headers);
    this.headOut(res, args[0], shortCircuit);
    return written;
  }

  /**
   * The `writeHead` every first guard of a response installs: one shared function, no closure.
   * It does what {@link GuardedCall.writeHeadThrough} does, inline, so that its own `arguments`
   * go straight to `apply()`: handed on to another function, they would be materialized first.
   */
  private static hookedWriteHead(this: Hooked): ServerResponse {
    const call = this[CALL]!;
    /* eslint-disable prefer-rest-params -- `arguments` avoids an array per response */
    const named = typeof arguments[1] === 'object';
    const shortCircuit = isShortCircuit(this);
    const headers = shortCircuit
      ? undefined
      : call.stamp(this, named ? arguments[1] : arguments[2]);
    const written =
      headers === undefined
        ? call.writeHead!.apply(this, arguments as unknown as unknown[])
        : named
          ? call.writeHead!.call(this, arguments[0], headers)
          : call.writeHead!.call(this, arguments[0], arguments[1], headers);
    call.headOut(this, arguments[0], shortCircuit);
    /* eslint-enable prefer-rest-params */
    return written;
  }

  /**
   * Records the error the framework saw thrown (Koa's `await next()`, Fastify's `onError`); the
   * outcome is still judged when the head (the error response) is written, with this error.
   */
  noteError(error: unknown): void {
    this.error = error ?? new Error('undefined thrown');
  }

  /**
   * Judges the call by `status` instead of the one the client is sent, e.g. when the cache replaced
   * a 5xx with a stored response (stale-if-error): the handler still failed.
   */
  judgeByStatus(status: number): void {
    this.status = status;
  }

  /**
   * The handler has finished (Koa: `await next()` returned or threw). A call whose client left is
   * released now; any other waits for its head.
   */
  done(): void {
    if (this.phase === Phase.ClientGone && !this.settled) this.ignore();
  }

  /**
   * The head is out with `written` (`writeHead`'s first argument, which Node has just checked and
   * set as `res.statusCode`: read from the response, it costs a slow lookup on Express's);
   * `shortCircuit`: whether a breaker's own short-circuit wrote it (looked up once per head).
   */
  private headOut(res: ServerResponse, written: unknown, shortCircuit: boolean): void {
    const clientGone = this.phase === Phase.ClientGone;
    this.phase = Phase.HeadWritten;
    if (this.settled) return;
    if (clientGone || shortCircuit) return this.ignore();
    const status = this.status ?? (typeof written === 'number' ? written : res.statusCode);
    if (this.error === undefined) this.recordStatus(status);
    else this.record({ status, error: this.error });
  }

  /** @internal The response closed: a normal end, a client that left, or a server cut-off. */
  closed(res: ServerResponse): void {
    if (this.phase === Phase.HeadWritten) {
      // After the head only a server cut-off matters; a client that left changes nothing.
      if (!res.writableEnded && !isShortCircuit(res) && brokenOffByServer(this.req!, res)) {
        this.breaker.recordBrokenOff(this);
      }
      return;
    }
    if (this.settled) return;
    if (isShortCircuit(res)) return this.ignore();
    if (brokenOffByServer(this.req!, res)) {
      this.record({
        error: res.errored ?? new Error('the response was broken off before its head'),
      });
      return;
    }
    this.phase = Phase.ClientGone;
    // A probe keeps its slot until its handler answers: the end of its (now unsent) response.
    if (this.probe) watchHandlerEnd(res, this);
    else this.ignore();
  }

  /**
   * Stamps a head being written (not a short-circuit's: an inner breaker's 503 carries its own
   * state); returns the headers object to write instead, if any.
   */
  private stamp(res: ServerResponse, headers: unknown): OutgoingHttpHeaders | undefined {
    const current = this.breaker.state;
    // 'when-not-closed': a head written while closed is left as the app wrote it
    if (!this.stampClosed && current === 'closed') return undefined;
    return stampHead(res, headers, wireState(current), this.req!.headers.origin !== undefined);
  }
}

/** The call of a breaker with `timeout`: it also waits in the breaker's deadline queue. */
export const TimedGuardedCall: PermitClass<GuardedCall & Timed> = timedClass(GuardedCall);

/** The `close` listener every first guard adds (shared: no closure per request). */
function closedHook(this: Hooked): void {
  this[CALL]!.closed(this);
}

/** The same, as `on-finished` calls it (Koa's responses): the response is its second argument. */
function finishedHook(_error: unknown, res: ServerResponse): void {
  (res as Hooked)[CALL]!.closed(res);
}

/** After the client left: the handler's `end()` (which no longer writes a head) releases the call. */
function watchHandlerEnd(res: ServerResponse, call: GuardedCall): void {
  const end = res.end as (...args: unknown[]) => ServerResponse;
  res.end = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
    call.done();
    return end.apply(this, args);
  } as ServerResponse['end'];
}
