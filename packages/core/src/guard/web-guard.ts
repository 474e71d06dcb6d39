// The request guard for Web-standard Request/Response frameworks (Hono): resolve, admit, answer, judge the head.

import type { CacheRequest } from '../cache/cache-options.js';
import { isPromiseLike } from '../cache/maybe-promise.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { type CachedReply } from '../cache/response-cache.js';
import type { ResponseCapture } from '../cache/response-capture.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { EXPOSED_HEADERS, mergeExposeHeaders, STATE_HEADER } from '../http/headers.js';
import { rejectionResponse } from '../http/problem.js';
import { formatScope, ORIGIN_SCOPE, SCOPE_HEADER, type BreakerScope } from '../http/scope.js';
import { warnOnce } from '../logger.js';
import type { Permit, Rejection } from '../permit.js';
import { wireState } from '../state.js';
import { BreakerResolver } from './breaker-resolver.js';
import { createGuardCache, type GuardCache } from './guard-cache.js';
import type { GuardReply } from './guard.js';
import {
  isGuardConfig,
  parseGuardOptions,
  type GuardConfig,
  type GuardOptions,
} from './guard-options.js';
import { stampHead, writeHeadWith, type StampedResponse } from './head-stamp.js';
import { servedHeaders } from './served-headers.js';

export { brokenOffByServer } from './broken-off.js';

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EXPOSE = 'access-control-expose-headers';
const UNTYPED_BODY = 'text/plain; charset=UTF-8';
/** Set on a `Request` a breaker answered, so that no guard around it records that answer. */
const SHORT_CIRCUIT: unique symbol = Symbol.for('breakwater.short-circuit') as never;

/**
 * How a Web-standard framework is bound to core, given once per middleware. `Ctx` is what the
 * framework hands a middleware (Hono's `c`).
 */
export interface WebBinding<Ctx> {
  /** The Web `Request`. */
  request(ctx: Ctx): Request;
  /** The breaker name of the matched route (`GET /users/:id`), when known per request. */
  routeName?(ctx: Ctx): string | undefined;
  /**
   * What a breaker guarding this request covers (`X-Circuit-Breaker-Scope`): the matched route's
   * method and template, or (when `undefined`) the whole origin. Asked once per route.
   */
  scope?(ctx: Ctx): BreakerScope | undefined;
  /** A response header the app set before the guard (for the expose list of a short-circuit). */
  getHeader(ctx: Ctx, name: string): string | undefined;
  /** Sets a response header the framework's way (the state headers `onReject` is promised). */
  setHeader(ctx: Ctx, name: string, value: string): void;
  /**
   * Node's request, when the framework runs on a Node server (Hono on @hono/node-server): the
   * response cache then reads its URL and headers, a plain object Node already has, instead of
   * the Web `Request`'s, which such servers build on first read.
   */
  nodeRequest?(ctx: Ctx): CacheRequest | undefined;
  /** Calls the user's `onReject`; a `Response` it returns (or resolves to) is sent. */
  callOnReject(
    onReject: (...args: never[]) => unknown,
    ctx: Ctx,
    rejection: Rejection,
  ): Response | undefined | void | Promise<Response | undefined | void>;
}

/** A request the breaker refused: answer it with {@link WebGuard.answer}. */
export interface WebRefusal {
  readonly admitted: false;
  readonly breaker: CircuitBreaker;
  readonly rejection: Rejection;
  /** What the refusing breaker covers. */
  readonly scope: BreakerScope;
}

/**
 * How {@link WebGuard.answer} answers a refusal: a plain reply (the built-in 503 or a cached
 * response) for the adapter to write its framework's way, or the `Response` `onReject` returned.
 */
export type WebAnswer = GuardReply | Response;

/** A {@link GuardReply} as a Web `Response` (list values become repeated headers). */
export function webResponse(reply: GuardReply): Response {
  return new Response(replyBody(reply), { status: reply.status, headers: replyHeaders(reply) });
}

/** The Node response (HTTP/1 or HTTP/2) a Web response is written to, as {@link WebCall} uses it. */
export interface NodeHead extends StampedResponse {
  writeHead(...args: never[]): unknown;
}

/** Set on a Node response whose head a Web call stamps already (the innermost guard's). */
const HEAD_STAMPED: unique symbol = Symbol('breakwater.head-stamped') as never;

/**
 * Stamps the head of the Node response a Web response is written to, when the server writes it:
 * the server hands `writeHead` the response's headers as a plain object, which is copied with ours
 * added ({@link stampHead}). Nested guards: the innermost, which finishes first, stamps.
 */
function stampNodeHead(res: NodeHead, state: string, crossOrigin: boolean): void {
  const marked = res as NodeHead & { [HEAD_STAMPED]?: true };
  if (Object.hasOwn(res, HEAD_STAMPED)) return;
  marked[HEAD_STAMPED] = true;
  const writeHead = res.writeHead as (...args: unknown[]) => unknown;
  res.writeHead = function stampedWriteHead(this: NodeHead, ...args: unknown[]): unknown {
    const headers = stampHead(
      this,
      typeof args[1] === 'object' ? args[1] : args[2],
      state,
      crossOrigin,
    );
    return headers === undefined
      ? writeHead.apply(this, args)
      : writeHeadWith(this, writeHead, args, headers);
  };
}

/** What {@link WebGuard.enter} decided: pass unguarded (`undefined`), a refusal, or an admitted call. */
export type WebVerdict = WebCall | WebRefusal | undefined;

/** The cache request of a Web request: method, path and query, lower-case header names. */
function cacheRequestOf(request: Request): CacheRequest {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { method: request.method, url: start === -1 ? '/' : url.slice(start), headers };
}

/** A Response's headers as a plain object with lower-case names (`Set-Cookie` kept as a list). */
function headerRecord(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

/** A reply's headers as `Headers` (a list value becomes repeated headers). */
function replyHeaders(reply: GuardReply): Headers {
  const headers = new Headers();
  for (const name in reply.headers) {
    const value = reply.headers[name]!;
    if (typeof value === 'string') headers.set(name, value);
    else for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** Whether a breaker answered `request` (its own 503 or a cached reply). */
export function isWebShortCircuit(request: Request): boolean {
  return (request as unknown as Record<symbol, boolean | undefined>)[SHORT_CIRCUIT] === true;
}

function markWebShortCircuit(request: Request): void {
  (request as unknown as Record<symbol, boolean>)[SHORT_CIRCUIT] = true;
}

/**
 * The guard of one Web middleware: the same options, breaker naming, keys, skips, cache and 503
 * contract as {@link RequestGuard}, for frameworks that hand over a `Request` and take a `Response`.
 * The adapter calls {@link WebGuard.enter} before the handler and {@link WebCall.finish} with the
 * response the handler produced (its head is judged), or {@link WebGuard.answer} for a refusal.
 */
export class WebGuard<Ctx> {
  /** The parsed options. */
  readonly config: GuardConfig<Ctx>;
  /** The response cache, when the `cache` option is on. */
  readonly cache: ResponseCache | undefined;
  private readonly guardCache: GuardCache | undefined;
  private readonly resolver: BreakerResolver<Ctx>;

  constructor(
    options: GuardOptions<Ctx, unknown> | GuardConfig<Ctx>,
    private readonly binding: WebBinding<Ctx>,
  ) {
    this.config = isGuardConfig<Ctx>(options) ? options : parseGuardOptions(options);
    this.resolver = new BreakerResolver(this.config);
    this.guardCache = createGuardCache(this.config.cache, this.config.breaker.clock);
    this.cache = this.guardCache?.cache;
  }

  /** The one call per request before the handler: pass (`undefined`), refuse, or admit. */
  enter(ctx: Ctx): WebVerdict {
    const request = this.binding.request(ctx);
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return undefined; // a CORS preflight touches no dependency
    }
    const resolver = this.resolver;
    if (this.config.skip !== undefined && resolver.skips(ctx)) return undefined;
    const route = resolver.fixed ?? resolver.route(this.binding.routeName?.(ctx));
    const breaker = resolver.breakerOf(route, ctx);
    if (breaker === undefined) return undefined;
    const permit = breaker.tryAcquire();
    if (!permit.admitted) {
      route.scope ??= this.binding.scope?.(ctx) ?? ORIGIN_SCOPE;
      return { admitted: false, breaker, rejection: permit, scope: route.scope };
    }
    return new WebCall(
      breaker,
      permit,
      request,
      this.cache,
      this.config.logger,
      this.config.stampClosed,
      this.cache === undefined ? undefined : this.binding.nodeRequest?.(ctx),
    );
  }

  /**
   * Answers a refusal: a stored response when the cache has one, else `onReject`'s `Response`
   * (the state headers set first), else the built-in 503 with the app's expose list merged.
   * Synchronous without a cache and an `onReject`.
   */
  answer(ctx: Ctx, refusal: WebRefusal): WebAnswer | Promise<WebAnswer> {
    const request = this.binding.request(ctx);
    markWebShortCircuit(request);
    const cache = this.guardCache;
    if (cache !== undefined) {
      let found: ReturnType<GuardCache['serve']>;
      try {
        const lookup = this.binding.nodeRequest?.(ctx) ?? cacheRequestOf(request);
        found = cache.serve(lookup, refusal.breaker, refusal.rejection);
      } catch {
        found = undefined; // a failing cache is a miss
      }
      if (isPromiseLike(found)) return this.answerLater(ctx, refusal, found);
      if (found !== undefined) return found;
    }
    return this.refuse(ctx, refusal);
  }

  /** Every breaker this guard created or shares so far. */
  breakers(): CircuitBreaker[] {
    return this.resolver.breakers();
  }

  /** {@link WebGuard.answer} once an asynchronous store has answered (a store that fails is a miss). */
  private async answerLater(
    ctx: Ctx,
    refusal: WebRefusal,
    found: Promise<GuardReply | undefined>,
  ): Promise<WebAnswer> {
    const cached = await found.catch(() => undefined);
    return cached ?? this.refuse(ctx, refusal);
  }

  /** No stored response: `onReject`'s `Response` (the state headers set first), else the 503. */
  private refuse(ctx: Ctx, refusal: WebRefusal): WebAnswer | Promise<WebAnswer> {
    const onReject = this.config.onReject;
    if (onReject === undefined) return this.builtIn(ctx, refusal);
    return this.reject(ctx, refusal, onReject);
  }

  private async reject(
    ctx: Ctx,
    refusal: WebRefusal,
    onReject: NonNullable<GuardConfig<Ctx>['onReject']>,
  ): Promise<WebAnswer> {
    const { rejection, scope } = refusal;
    const binding = this.binding;
    binding.setHeader(ctx, STATE_HEADER, wireState(rejection.state));
    binding.setHeader(ctx, SCOPE_HEADER, formatScope(scope));
    binding.setHeader(
      ctx,
      'Access-Control-Expose-Headers',
      mergeExposeHeaders(binding.getHeader(ctx, EXPOSE)),
    );
    try {
      const out = await binding.callOnReject(onReject, ctx, rejection);
      if (out instanceof Response) return out;
    } catch (error) {
      warnOnce(
        this.config.logger,
        'ERR_BREAKWATER_ON_REJECT_THREW',
        `onReject threw (${String(error)}); the built-in 503 is sent`,
      );
    }
    return this.builtIn(ctx, refusal);
  }

  /** The built-in 503, as a plain reply (no `Response` built twice), the app's expose list merged. */
  private builtIn(ctx: Ctx, { rejection, scope }: WebRefusal): GuardReply {
    const reply = rejectionResponse(rejection, scope);
    const own = this.binding.getHeader(ctx, EXPOSE);
    if (own === undefined) return reply;
    return {
      status: reply.status,
      headers: { ...reply.headers, 'Access-Control-Expose-Headers': mergeExposeHeaders(own) },
      body: reply.body,
    };
  }
}

/**
 * A reply's body as a Web body: the string, or a view of the bytes (a cached body is served per
 * request: no copy), a copy only when their memory is shared, which a `Response` does not take.
 */
export function replyBody(reply: GuardReply): string | Uint8Array<ArrayBuffer> {
  const body = reply.body;
  if (typeof body === 'string') return body;
  const memory = body.buffer;
  return memory instanceof ArrayBuffer
    ? new Uint8Array(memory, body.byteOffset, body.byteLength)
    : new Uint8Array(body);
}

/**
 * One admitted Web request. The settlement rule of {@link GuardedCall}, on a `Response`: the call
 * is judged by the status of the response the handler produced (with the error the framework
 * caught), when that response is handed back; a client that left before is ignored; a body that
 * errors after the head is one more failure.
 */
export class WebCall {
  /** Discriminates an admitted call. */
  readonly admitted = true as const;
  private headOut = false;
  private clientGone = false;
  private crossOrigin: boolean | undefined = undefined;
  private nodeResponse: NodeHead | undefined = undefined;

  constructor(
    /** The breaker that admitted the call. */
    readonly breaker: CircuitBreaker,
    /** The permit to settle. */
    readonly permit: Permit,
    private readonly request: Request,
    private readonly cache: ResponseCache | undefined,
    private readonly logger: GuardConfig<unknown>['logger'],
    /** Whether a response judged while closed carries `X-Circuit-Breaker-State` (`stateHeader`). */
    private readonly stampClosed = true,
    /** Node's request, when there is one and a cache: what the cache reads. */
    private readonly nodeRequest: CacheRequest | undefined = undefined,
  ) {}

  /** The request as the cache reads it. */
  private cacheRequest(): CacheRequest {
    return this.nodeRequest ?? cacheRequestOf(this.request);
  }

  /**
   * The handler produced `response` (or threw `error`, which the framework turned into it): stamps
   * the state and expose headers, judges the call by the status (a request an inner breaker
   * answered, or whose client left ({@link WebCall.connectionClosed}), is ignored), and runs the
   * cache (stores a GET,
   * invalidates after an unsafe method, with `staleIfError` replaces a failure). Returns the
   * response to send: the same object when its headers could be changed in place.
   * With `watchBody`, a body that errors mid-way is recorded as a failure (for runtimes where
   * the adapter cannot see the connection). `crossOrigin` says whether the request carries
   * `Origin` when the adapter knows it cheaply; else the request's headers are read.
   * `nodeResponse`, on a Node server: the response the server will write `response` to. Then,
   * without a cache, the state and expose headers are stamped on the head written there, and
   * `response` is left as it is (its headers are never read, so a server that writes a plain
   * headers object, as @hono/node-server does, never builds a `Headers` for it).
   */
  finish(
    response: Response,
    error: unknown,
    watchBody: boolean,
    crossOrigin?: boolean,
    nodeResponse?: NodeHead,
  ): Response | Promise<Response> {
    this.headOut = true;
    this.crossOrigin = crossOrigin;
    this.nodeResponse = nodeResponse;
    const permit = this.permit;
    if (this.clientGone || isWebShortCircuit(this.request)) {
      if (!permit.settled) permit.ignore();
      return response;
    }
    const status = response.status;
    const state = wireState(this.breaker.state); // the state the call ran in, as on Node
    const failed = permit.settled
      ? false
      : error === undefined
        ? permit.recordStatus(status)
        : permit.record({ status, error });
    const cache = this.cache;
    if (cache !== undefined && failed && cache.config.staleIfError) {
      if (cache.config.methods.has(this.request.method))
        return this.staleIfError(response, cache, state, watchBody);
    }
    return this.deliver(response, cache, state, watchBody);
  }

  /**
   * The connection closed (`cutOff`: the server broke it off, else the client left). Before the
   * head a client that left is ignored at once, except a probe, which keeps its half-open slot
   * until its handler answers ({@link WebCall.finish}); a server cut-off is a failure, before or
   * after the head.
   */
  connectionClosed(cutOff: boolean): void {
    const permit = this.permit;
    if (this.headOut) {
      if (cutOff) this.brokenOff();
      return;
    }
    if (permit.settled) return;
    if (cutOff) {
      permit.record({ error: new Error('the response was broken off before its head') });
      return;
    }
    this.clientGone = true;
    if (!permit.probe) permit.ignore();
  }

  /** The body was broken off after the head (a stream error, a destroyed connection). */
  brokenOff(): void {
    this.breaker.recordBrokenOff(this.permit);
  }

  private async staleIfError(
    response: Response,
    cache: ResponseCache,
    state: string,
    watchBody: boolean,
  ): Promise<Response> {
    let found: CachedReply | undefined;
    try {
      const lookup = cache.lookup(this.cacheRequest(), 'stale-if-error', this.breaker);
      found = isPromiseLike(lookup) ? await lookup : lookup;
    } catch {
      found = undefined;
    }
    if (found === undefined) return this.deliver(response, cache, state, watchBody);
    const headers = servedHeaders(found.headers, state);
    void response.body?.cancel().catch(() => {});
    return webResponse({ status: found.status, headers, body: found.body ?? '' });
  }

  private deliver(
    response: Response,
    cache: ResponseCache | undefined,
    state: string,
    watchBody: boolean,
  ): Response {
    const node = this.nodeResponse;
    // 'when-not-closed': a response judged while closed is left as the app wrote it
    const stamps = this.stampClosed || state !== 'closed';
    if (node !== undefined && cache === undefined) {
      if (stamps)
        stampNodeHead(node, state, this.crossOrigin ?? this.request.headers.has('origin'));
      return response;
    }
    let out = response;
    if (stamps) {
      try {
        this.stamp(out.headers, state);
      } catch {
        out = new Response(out.body, out); // immutable headers (a fetched response): copy them
        this.stamp(out.headers, state);
      }
    }
    if (cache === undefined && !watchBody) return out;
    const typed = out.headers.has('content-type');
    let capture: ResponseCapture | undefined;
    if (cache !== undefined) capture = this.cacheStep(out, cache, typed);
    if (capture === undefined && !watchBody) return out;
    const body = out.body;
    if (body === null) {
      if (capture !== undefined) void capture.end();
      return out;
    }
    const wrapped = new Response(this.tap(body, capture, watchBody), out);
    // Reading `body` may have made the runtime add its default Content-Type (undici's
    // `text/plain;charset=UTF-8`): leave that to the server, as the response had none.
    if (!typed) wrapped.headers.delete('content-type');
    return wrapped;
  }

  /** Sets `X-Circuit-Breaker-State` unless present, and merges (or adds, cross-origin) the expose list. */
  private stamp(headers: Headers, state: string): void {
    if (!headers.has(STATE_HEADER)) headers.set(STATE_HEADER, state);
    const expose = headers.get(EXPOSE);
    if (expose !== null) headers.set('Access-Control-Expose-Headers', mergeExposeHeaders(expose));
    else if (this.crossOrigin ?? this.request.headers.has('origin'))
      headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }

  /** Invalidates after an unsafe method; returns a capture for a storable GET response. */
  private cacheStep(
    response: Response,
    cache: ResponseCache,
    typed: boolean,
  ): ResponseCapture | undefined {
    try {
      const method = this.request.method;
      if (UNSAFE_METHODS.has(method)) {
        const done = cache.invalidate(
          this.cacheRequest(),
          response.status,
          headerRecord(response.headers),
          this.breaker,
        );
        if (done !== undefined) done.catch(() => {});
        return undefined;
      }
      if (method !== 'GET') return undefined;
      const ticket = cache.admit(this.cacheRequest(), this.breaker);
      if (ticket === undefined) return undefined;
      const headers = headerRecord(response.headers);
      // What the server sends for a body without a type (Hono's and @hono/node-server's default),
      // stored so that a HEAD served from the cache (whose body is dropped) carries it too.
      if (!typed) headers['content-type'] = UNTYPED_BODY;
      return cache.capture(ticket, response.status, headers);
    } catch (error) {
      warnOnce(
        this.logger,
        'ERR_BREAKWATER_CACHE_THREW',
        `the response cache threw (${String(error)})`,
      );
      return undefined;
    }
  }

  /**
   * The body passed through as it is read: each chunk to the capture, and a source that errors
   * (the server breaking the body off) recorded once. A client that cancels changes nothing.
   */
  private tap(
    body: ReadableStream<Uint8Array>,
    capture: ResponseCapture | undefined,
    watchBody: boolean,
  ): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (error) {
          if (watchBody) this.brokenOff();
          controller.error(error);
          return;
        }
        if (step.done) {
          if (capture !== undefined) {
            const stored = capture.end();
            if (isPromiseLike(stored)) stored.then(undefined, () => {});
          }
          controller.close();
          return;
        }
        capture?.write(step.value);
        controller.enqueue(step.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }
}
