// Taps one admitted raw response for the cache: captures its head and bytes as sent, or swaps a 5xx (stale-if-error).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CacheRequest } from '../cache/cache-options.js';
import { isPromiseLike } from '../cache/maybe-promise.js';
import type { CacheTicket, ResponseCache } from '../cache/response-cache.js';
import type { ResponseCapture } from '../cache/response-capture.js';
import { wireState } from '../state.js';
import { servedHeaders } from './served-headers.js';
import type { GuardedCall } from './guarded-call.js';

type Fn = (...args: unknown[]) => unknown;

/** The headers a `writeHead` call passes: after the status, and after the status message if any. */
function headersArgument(args: readonly unknown[]): unknown {
  return typeof args[1] === 'string' ? args[2] : args[1];
}

/**
 * The response head as it goes on the wire: `res.getHeaders()` with the `writeHead` headers (an
 * object or a flat `[name, value, …]` list) laid over it, names lower-cased.
 */
function headOf(res: ServerResponse, extra: unknown): OutgoingHttpHeaders {
  const headers = res.getHeaders();
  if (extra === null || typeof extra !== 'object') return headers;
  if (Array.isArray(extra)) {
    for (let i = 0; i + 1 < extra.length; i += 2) {
      headers[String(extra[i]).toLowerCase()] = extra[i + 1] as OutgoingHttpHeaders[string];
    }
    return headers;
  }
  for (const name of Object.keys(extra)) {
    headers[name.toLowerCase()] = (extra as OutgoingHttpHeaders)[name];
  }
  return headers;
}

/** The encoding argument of `write(chunk, encoding?, cb?)` / `end(chunk, encoding?, cb?)`. */
function encodingOf(value: unknown): BufferEncoding | undefined {
  return typeof value === 'string' ? (value as BufferEncoding) : undefined;
}

/**
 * Wraps `writeHead`, `write` and `end` of one response (installed after the guard's own
 * `writeHead` wrapper, so it sees the head before the state is stamped, and whatever an outer
 * middleware such as `compression` did to it). It never changes what the client receives, except
 * that with `staleIfError` a 5xx whose head is not sent yet is replaced by the stored response.
 */
export class ResponseTap {
  private decided = false;
  /** Inside `end()`: HTTP/2's `end(chunk)` writes its chunk through `write()`, which must not capture it twice. */
  private ending = false;
  private capture: ResponseCapture | undefined;
  /** Set once a stale response replaced the handler's: the body to end with instead of the handler's. */
  private replacement: { body: Buffer | undefined } | undefined;

  constructor(
    private readonly cache: ResponseCache,
    private readonly res: ServerResponse,
    private readonly call: GuardedCall,
    private readonly request: CacheRequest,
    private readonly ticket: CacheTicket | undefined,
    private readonly stale: boolean,
  ) {}

  /** Installs the wrappers on the response (arrow functions: they only ever run on `res`). */
  install(): void {
    const res = this.res;
    const writeHead = res.writeHead as unknown as Fn;
    const write = res.write as unknown as Fn;
    const end = res.end as unknown as Fn;
    res.writeHead = ((...args: unknown[]) => {
      if (!this.decided && this.decide(args[0] as number, headersArgument(args), writeHead)) {
        return res;
      }
      return writeHead.apply(res, args);
    }) as ServerResponse['writeHead'];
    res.write = ((...args: unknown[]) => {
      this.beforeBody(writeHead);
      if (this.replacement !== undefined && !this.ending) {
        const callback = args.find((arg) => typeof arg === 'function') as Fn | undefined;
        if (callback !== undefined) process.nextTick(callback);
        return true;
      }
      const result = write.apply(res, args);
      if (!this.ending) this.capture?.write(args[0] as string, encodingOf(args[1]));
      return result;
    }) as ServerResponse['write'];
    res.end = ((...args: unknown[]) => {
      this.beforeBody(writeHead);
      const replacement = this.replacement;
      this.ending = true;
      try {
        if (replacement !== undefined) {
          const callback = args.find((arg) => typeof arg === 'function');
          return end.call(res, replacement.body, callback);
        }
        return this.endCaptured(end, args);
      } finally {
        this.ending = false;
      }
    }) as ServerResponse['end'];
    res.once('close', () => {
      if (!res.writableFinished) this.capture?.abandon();
    });
  }

  /** Ends the response and hands the last chunk to the capture, if any. */
  private endCaptured(end: Fn, args: unknown[]): unknown {
    const result = end.apply(this.res, args);
    const capture = this.capture;
    if (capture !== undefined) {
      const chunk = typeof args[0] === 'function' ? undefined : (args[0] as string | undefined);
      const stored = capture.end(chunk, encodingOf(args[1]));
      if (isPromiseLike(stored)) stored.catch(() => {});
    }
    return result;
  }

  /** Before body bytes pass: a 5xx whose head is still unsent may be replaced (stale-if-error). */
  private beforeBody(writeHead: Fn): void {
    if (this.decided || !this.stale || this.res.headersSent) return;
    const status = this.res.statusCode;
    if (status >= 500) this.decide(status, undefined, writeHead);
  }

  /**
   * Decides the head once: with `staleIfError` a 5xx is replaced by the stored response when the
   * store answers synchronously (returns `true`: the head is written); otherwise a storable response
   * starts a capture.
   */
  private decide(status: number, extra: unknown, writeHead: Fn): boolean {
    this.decided = true;
    const res = this.res;
    if (status >= 500) {
      if (!this.stale || res.headersSent) return false;
      const found = this.cache.lookup(this.request, 'stale-if-error', this.call.breaker);
      if (found === undefined || isPromiseLike(found)) return false;
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      this.call.judgeByStatus(status); // the handler failed, whatever the client is sent
      this.replacement = { body: found.body };
      writeHead.call(
        res,
        found.status,
        servedHeaders(found.headers, wireState(this.call.breaker.state)) as OutgoingHttpHeaders,
      );
      return true;
    }
    if (this.ticket !== undefined) {
      this.capture = this.cache.capture(this.ticket, status, headOf(res, extra));
    }
    return false;
  }
}
