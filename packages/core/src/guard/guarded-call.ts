// One admitted request: stamps the state headers when its response head is written and settles its permit.

import {
  OutgoingMessage,
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { EXPOSED_HEADERS, mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import type { Permit } from '../permit.js';
import { wireState } from '../state.js';
import { brokenOffByServer } from './broken-off.js';
import { isShortCircuit } from './short-circuit.js';

const EXPOSE = 'access-control-expose-headers';
const STATE = 'x-circuit-breaker-state';

/**
 * Sets the state and expose headers for a response whose head is being written. Headers given to
 * `writeHead` win over `setHeader`, so when they carry their own expose list the merged list goes
 * into a copy, returned for `writeHead` to use; the caller's object is never changed.
 */
function stamp(
  req: IncomingMessage,
  res: ServerResponse,
  breaker: CircuitBreaker,
  headers: unknown,
): OutgoingHttpHeaders | undefined {
  if (isShortCircuit(res)) return undefined; // an inner breaker's 503 already carries its own state
  let exposeName: string | undefined;
  let stated = false;
  const object =
    headers !== null && typeof headers === 'object' && !Array.isArray(headers)
      ? (headers as OutgoingHttpHeaders)
      : undefined;
  if (object !== undefined) {
    for (const name in object) {
      // compare lengths first: no lower-cased copy of every header name
      if (name.length === EXPOSE.length && name.toLowerCase() === EXPOSE) exposeName = name;
      else if (name.length === STATE.length && name.toLowerCase() === STATE) stated = true;
    }
  }
  if (!stated && !res.hasHeader(STATE_HEADER))
    res.setHeader(STATE_HEADER, wireState(breaker.state));
  if (exposeName !== undefined) {
    const copy: OutgoingHttpHeaders = { ...object };
    delete copy[exposeName];
    copy['Access-Control-Expose-Headers'] = mergeExposeHeaders(object![exposeName]);
    return copy;
  }
  const expose = res.getHeader(EXPOSE);
  if (expose !== undefined)
    res.setHeader('Access-Control-Expose-Headers', mergeExposeHeaders(expose));
  // Browsers read the list only on cross-origin (CORS) responses, and those requests carry Origin.
  else if (req.headers.origin !== undefined)
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return undefined;
}

/** Calls `writeHead` with `args`, its headers argument replaced by `headers` when one is given. */
function writeHeadWith(
  res: ServerResponse,
  writeHead: WriteHead,
  args: ArrayLike<unknown>,
  headers: OutgoingHttpHeaders | undefined,
): ServerResponse {
  if (headers === undefined) return writeHead.apply(res, args as unknown[]);
  const copy = Array.from(args);
  copy[typeof copy[1] === 'object' ? 1 : 2] = headers;
  return writeHead.apply(res, copy);
}

/** Where the first guard of a response keeps its call, so the shared hooks below can find it. */
const CALL: unique symbol = Symbol('breakwater.call') as never;

type Guarded = ServerResponse & { [CALL]?: GuardedCall };
type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/** The `writeHead` every first guard installs: one shared function instead of a closure per request. */
function stampedWriteHead(this: Guarded): ServerResponse {
  const call = this[CALL]!;
  // eslint-disable-next-line prefer-rest-params -- `arguments` avoids an array per response
  const args = arguments;
  const headers = stamp(
    call.req!,
    this,
    call.breaker,
    typeof args[1] === 'object' ? args[1] : args[2],
  );
  return writeHeadWith(this, call.writeHead as WriteHead, args, headers);
}

/** The `finish` listener every first guard adds (shared: no closure per request). */
function settleOnFinish(this: Guarded): void {
  this[CALL]!.finished(this);
}

/** The `close` listener every first guard adds: after `finish` a no-op, alone it means cut off. */
function settleOnClose(this: Guarded): void {
  this[CALL]!.closed(this);
}

/**
 * An admitted request. Adapters {@link GuardedCall.attach} it to the raw Node response before any
 * `await`, report thrown errors through {@link GuardedCall.fail}, and leave the rest to the response:
 * when it closes, a finished response records its status, an unfinished one was either abandoned by
 * the client (ignored) or broken off by the server (a failure). The first settlement wins.
 */
export class GuardedCall {
  /** Discriminates an admitted call from a rejection. */
  readonly admitted = true as const;
  private status: number | undefined = undefined;
  /** @internal The request, once attached. */
  req: IncomingMessage | undefined = undefined;
  /** @internal The `writeHead` this call's hook wraps. */
  writeHead: ServerResponse['writeHead'] | undefined = undefined;

  constructor(
    /** The breaker that admitted the call. */
    readonly breaker: CircuitBreaker,
    /** The permit to settle. */
    readonly permit: Permit,
    private readonly onAttach?: (
      req: IncomingMessage,
      res: ServerResponse,
      call: GuardedCall,
    ) => void,
  ) {}

  /**
   * Hooks `res`: stamps `X-Circuit-Breaker-State` (the state when the head is written) and merges
   * `Access-Control-Expose-Headers`; settles the permit when the response closes. The first guard
   * of a response uses shared hooks; a nested guard wraps with closures of its own.
   */
  attach(req: IncomingMessage, res: ServerResponse): void {
    this.req = req;
    this.writeHead = res.writeHead;
    const guarded = res as Guarded;
    if (guarded[CALL] === undefined) {
      guarded[CALL] = this;
      res.writeHead = stampedWriteHead as ServerResponse['writeHead'];
      res.on('finish', settleOnFinish);
      res.on('close', settleOnClose);
    } else {
      const writeHead = this.writeHead as WriteHead;
      const breaker = this.breaker;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        const headers = stamp(req, this, breaker, typeof args[1] === 'object' ? args[1] : args[2]);
        return writeHeadWith(this, writeHead, args, headers);
      } as ServerResponse['writeHead'];
      res.on('finish', () => this.finished(res));
      res.on('close', () => this.closed(res));
    }
    this.onAttach?.(req, res, this);
  }

  /**
   * Like {@link GuardedCall.attach}, for adapters that stamp the head through a prototype-level
   * hook ({@link installPrototypeHeadHook}) instead: adds nothing to `res` but its two listeners.
   */
  attachListeners(req: IncomingMessage, res: ServerResponse): void {
    this.req = req;
    res.on('finish', () => this.finished(res));
    res.on('close', () => this.closed(res));
    this.onAttach?.(req, res, this);
  }

  /** @internal Stamps the state headers and writes the head through `writeHead`. */
  writeHeadStamped(
    res: ServerResponse,
    args: ArrayLike<unknown>,
    writeHead: WriteHead,
  ): ServerResponse {
    const headers = stamp(
      this.req!,
      res,
      this.breaker,
      typeof args[1] === 'object' ? args[1] : args[2],
    );
    return writeHeadWith(res, writeHead, args, headers);
  }

  /** @internal The response finished: records its status (a breaker's own 503 is not recorded). */
  finished(res: ServerResponse): void {
    if (this.permit.settled) return;
    if (isShortCircuit(res)) this.permit.ignore();
    else this.permit.recordStatus(this.status ?? res.statusCode);
  }

  /** @internal The response closed; before it finished, either the client left or the server cut it off. */
  closed(res: ServerResponse): void {
    const permit = this.permit;
    if (permit.settled) return;
    // cut off by the server (a body stream that errored mid-way): a failure; the client left: ignored
    if (!isShortCircuit(res) && brokenOffByServer(this.req!, res))
      this.fail(res.errored ?? new Error('the response was broken off before it finished'));
    else permit.ignore();
  }

  /**
   * Records `status` instead of the one the client is sent, e.g. when the cache replaced a 5xx
   * with a stored response (stale-if-error): the handler still failed.
   */
  recordStatus(status: number): void {
    this.status = status;
  }

  /** The call threw or rejected: records a failure (or what `isFailure` says) with the error. */
  fail(error: unknown): void {
    this.permit.record({ error: error ?? new Error('undefined thrown') });
  }
}

const hooked = new WeakSet<object>();

/**
 * Hooks `writeHead` once on a framework's own response prototype (Express's per-app `app.response`),
 * so that no property is added to each response object: some frameworks' responses slow down
 * measurably when one is. `lookup` finds the guarded call of a response (or none). Returns `false`
 * when `proto` is Node's own `ServerResponse.prototype`, which a library must never patch.
 */
export function installPrototypeHeadHook(
  proto: object,
  lookup: (res: ServerResponse) => GuardedCall | undefined,
): boolean {
  if (hooked.has(proto)) return true;
  if (proto === ServerResponse.prototype || proto === OutgoingMessage.prototype) return false;
  const inherited = (proto as { writeHead?: WriteHead }).writeHead;
  if (typeof inherited !== 'function') return false;
  Object.defineProperty(proto, 'writeHead', {
    configurable: true,
    writable: true,
    value: function breakwaterWriteHead(this: ServerResponse): ServerResponse {
      const call = lookup(this);
      // eslint-disable-next-line prefer-rest-params -- `arguments` avoids an array per response
      const args = arguments;
      return call === undefined
        ? inherited.apply(this, args as unknown as unknown[])
        : call.writeHeadStamped(this, args, inherited);
    },
  });
  hooked.add(proto);
  return true;
}
