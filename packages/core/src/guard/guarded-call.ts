// One admitted request: stamps the state headers when its response head is written and settles its permit.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import type { Permit } from '../permit.js';
import { wireState } from '../state.js';
import { brokenOffByServer } from './broken-off.js';
import { isShortCircuit } from './short-circuit.js';

/** Sets the state and expose headers on `res` (and in a `writeHead` headers object, which wins over `setHeader`). */
function stamp(res: ServerResponse, breaker: CircuitBreaker, headers: unknown): void {
  if (isShortCircuit(res)) return; // an inner breaker's 503 already carries its own state
  const state = wireState(breaker.state);
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
    const object = headers as OutgoingHttpHeaders;
    let expose: OutgoingHttpHeaders[string] = res.getHeader('access-control-expose-headers');
    let hasState = res.hasHeader(STATE_HEADER);
    for (const name of Object.keys(object)) {
      const lower = name.toLowerCase();
      if (lower === 'access-control-expose-headers') {
        expose = object[name];
        delete object[name];
      } else if (lower === 'x-circuit-breaker-state') hasState = true;
    }
    object['Access-Control-Expose-Headers'] = mergeExposeHeaders(expose);
    if (!hasState) object[STATE_HEADER] = state;
    return;
  }
  if (!res.hasHeader(STATE_HEADER)) res.setHeader(STATE_HEADER, state);
  res.setHeader(
    'Access-Control-Expose-Headers',
    mergeExposeHeaders(res.getHeader('access-control-expose-headers')),
  );
}

/**
 * An admitted request. Adapters {@link GuardedCall.attach} it to the raw Node response before any
 * `await`, report thrown errors through {@link GuardedCall.fail}, and leave the rest to the response
 * events: `finish` records the status, `close` before `finish` (the client went away) ignores the call.
 * The first settlement wins; later ones are no-ops.
 */
export class GuardedCall {
  /** Discriminates an admitted call from a rejection. */
  readonly admitted = true as const;
  private status: number | undefined = undefined;

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
   * `Access-Control-Expose-Headers`; settles the permit on `finish` (by status) or on an early
   * `close` (ignored: neither success nor failure, and a half-open slot is released).
   */
  attach(req: IncomingMessage, res: ServerResponse): void {
    const breaker = this.breaker;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      stamp(this, breaker, typeof args[1] === 'object' ? args[1] : args[2]);
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    res.once('finish', () => {
      if (isShortCircuit(res)) this.permit.ignore();
      else this.permit.record({ status: this.status ?? res.statusCode });
    });
    res.once('close', () => {
      if (this.permit.settled) return;
      // cut off by the server (a body stream that errored mid-way): a failure; the client left: ignored
      if (!isShortCircuit(res) && brokenOffByServer(req, res))
        this.fail(res.errored ?? new Error('the response was broken off before it finished'));
      else this.permit.ignore();
    });
    this.onAttach?.(req, res, this);
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
