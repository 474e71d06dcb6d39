// The fallback response cache adapters use: admit a request, capture its response, serve it on rejection.

import { diagnostics } from '../diagnostics.js';
import { EventSource, type Disposable, type Listener } from '../event-source.js';
import type { CacheEvent } from '../events.js';
import { parseCacheControl, requestForbidsStore, headerText } from './cache-control.js';
import {
  MAX_VARIANT_LENGTH,
  endToEndHeaders,
  variantOf,
  varyNames,
  type ResponseHeadersInput,
  type StoredHeaders,
} from './cache-headers.js';
import {
  parseCacheOptions,
  type CacheConfig,
  type CacheOptions,
  type CacheRequest,
} from './cache-options.js';
import type { CacheRecord, MaybePromise, StoredResponse } from './cache-store.js';
import { attempt, isPromiseLike } from './maybe-promise.js';
import { ResponseCapture, type CaptureSink } from './response-capture.js';

/** Why a cached response is served: the breaker rejected, or (`staleIfError`) the handler failed. */
export type CacheHitDetail = 'circuit-open' | 'stale-if-error';

/** The breaker a cache call is made for, named in cache events (a `CircuitBreaker` fits). */
export interface CacheSource {
  readonly name: string;
  readonly key?: string | undefined;
}

/** A stored response ready to send in place of a rejection. */
export interface CachedReply {
  /** The original status. */
  readonly status: number;
  /**
   * Headers to send (lower-case names): the stored end-to-end headers plus `age`, `cache-status`
   * and, when the original had none, `content-length`. A fresh object per reply; the adapter adds
   * `X-Circuit-Breaker-State` and `Date`.
   */
  readonly headers: Record<string, string | readonly string[]>;
  /** The body bytes exactly as first sent; `undefined` for `HEAD`. */
  readonly body: Buffer | undefined;
}

/** A request whose response may be stored: returned by {@link ResponseCache.admit}. */
export interface CacheTicket {
  /** The key the response would be stored under, before `Vary`. */
  readonly key: string;
  /** The request, read again for the `Vary`'d headers. */
  readonly request: CacheRequest;
  /** The breaker named in events. */
  readonly source: CacheSource | undefined;
}

/**
 * The default cache key: the request's `Host` header (HTTP/2: `:authority`), lower-cased (empty when absent), a space, and
 * the request target as the adapter gives it (path and query), e.g. `api.example:8080 /users/7?x=1`;
 * `undefined` without a target. `X-Forwarded-*` and `Forwarded` are not part of it.
 */
export function defaultCacheKey(request: CacheRequest): string | undefined {
  const url = request.url;
  if (url === undefined || url.length === 0) return undefined;
  const host = request.headers.host ?? request.headers[':authority']; // HTTP/2 carries :authority
  return typeof host === 'string' ? `${host.toLowerCase()} ${url}` : ` ${url}`;
}

/** Variants (by `Vary`) kept per key; the oldest goes first. */
export const MAX_VARIANTS = 8;
/** Longest key; a longer one is neither stored nor served. */
export const MAX_KEY_LENGTH = 8192;

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameVariant(a: StoredResponse, b: StoredResponse): boolean {
  if (a.variant !== b.variant || a.vary.length !== b.vary.length) return false;
  for (let i = 0; i < a.vary.length; i++) if (a.vary[i] !== b.vary[i]) return false;
  return true;
}

/**
 * The headers a stored entry is served with, `ageSeconds` old: its own plus `age`, our
 * `cache-status` member (after the upstream's), and `content-length` when it had none. A fresh
 * object each call.
 */
export function servedHeadersOf(
  entry: StoredResponse,
  ageSeconds: number,
  detail: CacheHitDetail,
): Record<string, string | readonly string[]> {
  // Object.assign, not spread: adding fields to a spread copy is ~10x slower in V8.
  const headers: Record<string, string | readonly string[]> = Object.assign({}, entry.headers);
  headers['age'] = String(ageSeconds);
  const member = `breakwater; hit; detail=${detail}`;
  const upstream = headerText(headers['cache-status']);
  headers['cache-status'] = upstream ? `${upstream}, ${member}` : member;
  if (headers['content-length'] === undefined && entry.status !== 204) {
    headers['content-length'] = String(entry.body.byteLength);
  }
  return headers;
}

/** The body of a stored entry as a Buffer (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A path-absolute reference (`/x`, not `//host/x`) from `Location`/`Content-Location`, else undefined. */
function sameOriginPath(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : undefined;
  if (text === undefined || text.charCodeAt(0) !== 47 || text.charCodeAt(1) === 47)
    return undefined;
  return text;
}

/** The head of a response being captured; becomes a stored entry once its body is complete. */
class PendingEntry implements CaptureSink {
  constructor(
    private readonly cache: ResponseCache,
    private readonly ticket: CacheTicket,
    private readonly status: number,
    private readonly headers: StoredHeaders,
    private readonly serveLimit: number,
    private readonly vary: readonly string[],
    private readonly variant: string,
  ) {}

  commit(body: Buffer): MaybePromise<boolean> {
    return this.cache.commit(this.ticket, {
      status: this.status,
      headers: this.headers,
      body,
      storedAt: this.cache.config.now(),
      serveLimit: this.serveLimit,
      vary: this.vary,
      variant: this.variant,
    });
  }

  abandoned(detail: string): void {
    this.cache.note('skip', detail, this.ticket.source);
  }
}

/**
 * The fallback cache of one middleware instance. Adapters call, per request:
 * 1. {@link ResponseCache.admit} before the handler (a GET that may be stored gets a ticket);
 * 2. {@link ResponseCache.capture} when the response head is final, then feed the returned
 *    {@link ResponseCapture} the body chunks as they are sent;
 * 3. {@link ResponseCache.lookup} when the breaker rejects (or, with `staleIfError`, on a 5xx);
 * 4. {@link ResponseCache.invalidate} after every finished response (a no-op unless unsafe).
 *
 * Nothing here throws into a request: store failures are misses or skipped stores, reported as
 * `cache` events.
 *
 * @example
 * const cache = createResponseCache(options.cache); // undefined when off
 */
export class ResponseCache {
  /** The parsed options. */
  readonly config: CacheConfig;
  private readonly events = new EventSource<CacheEvent>();
  // The last default key built and what it was built from (fields, not an object: no allocation).
  private lastKey: string | undefined = undefined;
  private lastUrl: string | undefined = undefined;
  private lastHost: unknown = undefined;
  private lastAuthority: unknown = undefined;
  private lastSourceKey: string | undefined = undefined;

  constructor(options: true | CacheOptions = true) {
    const config = parseCacheOptions(options);
    if (config === undefined) throw new TypeError('Breakwater: ResponseCache needs cache options');
    this.config = config;
  }

  /** Subscribes to cache events (`hit`, `miss`, `store`, `skip`, `invalidate`). */
  onCache(listener: Listener<CacheEvent>): Disposable {
    return this.events.subscribe(listener);
  }

  /**
   * Step 1, before the handler: returns a ticket when this request's response may be stored (a
   * `GET` without `Authorization`/`Cookie` unless `allowAuthorized`, without a request
   * `Cache-Control: no-store`, with a key), else `undefined`. Cheap: no allocation but the ticket.
   */
  admit(request: CacheRequest, source?: CacheSource): CacheTicket | undefined {
    if (request.method !== 'GET') {
      this.note('skip', 'method', source);
      return undefined;
    }
    const refused = this.requestRefusal(request);
    if (refused !== undefined) {
      this.note('skip', refused, source);
      return undefined;
    }
    const control = request.headers['cache-control'];
    if (control !== undefined && requestForbidsStore(control)) {
      this.note('skip', 'request-no-store', source);
      return undefined;
    }
    const key = this.keyOf(request, source);
    return key === undefined ? undefined : { key, request, source };
  }

  /**
   * Step 2, once the response head is final (status and the headers going on the wire, names in
   * any case; `res.getHeaders()` fits): returns a {@link ResponseCapture} to feed the body to, or
   * `undefined` when the response must not be stored (status not in `statuses`, `Set-Cookie`,
   * `Cache-Control` `no-store`/`private`/`no-cache`/`must-revalidate`/`proxy-revalidate`/
   * `s-maxage`, `Vary: *`, a `Content-Length` over `maxBodyBytes`). A response the origin marks
   * as not storable also removes what is stored under the key.
   */
  capture(
    ticket: CacheTicket,
    status: number,
    headers: ResponseHeadersInput,
  ): ResponseCapture | undefined {
    const { config } = this;
    const { source } = ticket;
    if (!config.statuses.has(status)) {
      this.note('skip', 'status', source);
      return undefined;
    }
    const stored = endToEndHeaders(headers);
    if (stored['set-cookie'] !== undefined) {
      this.note('skip', 'set-cookie', source);
      return undefined;
    }
    const control = stored['cache-control'];
    const directives = parseCacheControl(control);
    let refusal: string | undefined;
    if (directives.malformed) refusal = 'malformed-cache-control';
    else if (directives.noStore) refusal = 'no-store';
    else if (directives.private) refusal = 'private';
    else if (directives.noStale) refusal = 'must-revalidate';
    else if (control === undefined && /no-cache/i.test(headerText(stored['pragma']) ?? '')) {
      refusal = 'no-cache';
    }
    let vary = varyNames(stored['vary']);
    if (refusal === undefined && vary === '*') refusal = 'vary-star';
    // an encoded body that forgot `Vary: Accept-Encoding` still only answers the same Accept-Encoding
    const coding = headerText(stored['content-encoding'])?.trim().toLowerCase();
    if (Array.isArray(vary) && coding && coding !== 'identity' && !vary.includes('accept-encoding'))
      vary = [...vary, 'accept-encoding'];
    if (refusal !== undefined) {
      // The origin's current word on this resource: drop what an earlier response left.
      this.forget(ticket.key);
      this.note('skip', refusal, source);
      return undefined;
    }
    const variant =
      vary === undefined || vary === '*' ? undefined : variantOf(ticket.request.headers, vary);
    if (variant === undefined || variant.length > MAX_VARIANT_LENGTH) {
      this.note('skip', 'vary-too-large', source);
      return undefined;
    }
    const serveLimit =
      directives.staleIfError === undefined
        ? config.maxStale
        : Math.min(config.maxStale, directives.staleIfError * 1000);
    if (serveLimit <= 0) {
      this.note('skip', 'stale-if-error', source);
      return undefined;
    }
    const lengthText = headerText(stored['content-length']);
    let declared: number | undefined;
    if (lengthText !== undefined) {
      declared = /^\s*\d{1,15}\s*$/.test(lengthText) ? Number(lengthText) : -1;
      if (declared > config.maxBodyBytes) {
        this.note('skip', 'too-large', source);
        return undefined;
      }
    }
    return new ResponseCapture(
      new PendingEntry(
        this,
        ticket,
        status,
        stored,
        serveLimit,
        vary as readonly string[],
        variant,
      ),
      config.maxBodyBytes,
      declared,
    );
  }

  /**
   * Steps 2 and the body in one, for frameworks that hand over the whole body (Koa, Fastify's
   * `onSend` payload): stores `body` when the response may be stored. Resolves to whether it was.
   */
  store(
    ticket: CacheTicket,
    status: number,
    headers: ResponseHeadersInput,
    body: string | Uint8Array | null | undefined,
  ): MaybePromise<boolean> {
    const capture = this.capture(ticket, status, headers);
    return capture === undefined ? false : capture.end(body);
  }

  /**
   * Step 3, while the breaker rejects (`detail` `'circuit-open'`), or with `staleIfError` on a 5xx
   * before the headers are sent (`'stale-if-error'`): the stored response for this request, or
   * `undefined`. Synchronous with a synchronous store (the default); `await` works either way.
   * Never serves to a request that carries `Authorization`/`Cookie` (unless `allowAuthorized`),
   * nor a response older than its serve limit (`maxStale`, or its `stale-if-error`).
   */
  lookup(
    request: CacheRequest,
    detail: CacheHitDetail = 'circuit-open',
    source?: CacheSource,
  ): MaybePromise<CachedReply | undefined> {
    const found = this.findEntry(request, detail, source);
    const head = request.method === 'HEAD';
    if (isPromiseLike(found))
      return found.then((entry) => entry && this.replyOf(entry, detail, head));
    return found && this.replyOf(found, detail, head);
  }

  /**
   * @internal {@link ResponseCache.lookup} without the reply: the stored entry that may answer
   * the request, `hit` or `miss` reported. Records are never mutated, so a caller may keep what it
   * builds from an entry for as long as the entry is served (see {@link servedHeadersOf}).
   */
  findEntry(
    request: CacheRequest,
    detail: CacheHitDetail,
    source: CacheSource | undefined,
  ): MaybePromise<StoredResponse | undefined> {
    if (detail === 'stale-if-error' && !this.config.staleIfError) return undefined;
    const method = request.method ?? 'GET';
    if (!this.config.methods.has(method)) {
      this.note('miss', 'method', source);
      return undefined;
    }
    const refused = this.requestRefusal(request);
    if (refused !== undefined) {
      this.note('miss', refused, source);
      return undefined;
    }
    const key = this.keyOf(request, source);
    if (key === undefined) return undefined;
    // Written out rather than through attempt(): three closures per lookup on the served path.
    try {
      const record = this.config.store.get(key);
      if (isPromiseLike(record)) {
        return Promise.resolve(record)
          .then((found) => this.match(found, request, detail, source))
          .catch(() => this.storeMiss(source));
      }
      return this.match(record, request, detail, source);
    } catch {
      return this.storeMiss(source);
    }
  }

  /** The age in milliseconds of a stored entry now. */
  ageOf(entry: StoredResponse): number {
    return Math.max(0, this.config.now() - entry.storedAt);
  }

  /**
   * Step 4, after a response finished: when the request was a `POST`, `PUT`, `PATCH` or `DELETE`
   * and the status is 2xx or 3xx, removes every variant stored under its key, and under the keys of
   * its `Location` and `Content-Location` when they are paths on this origin (RFC 9111 §4.4).
   * A no-op for other requests; cheap to call always.
   */
  invalidate(
    request: CacheRequest,
    status: number,
    headers?: ResponseHeadersInput,
    source?: CacheSource,
  ): MaybePromise<void> {
    if (!UNSAFE_METHODS.has(request.method ?? '') || status < 200 || status >= 400) return;
    const keys: string[] = [];
    const own = this.keyOf(request, source);
    if (own !== undefined) keys.push(own);
    if (headers !== undefined) {
      for (const name of ['location', 'content-location']) {
        const path = sameOriginPath(headers[name]);
        if (path === undefined) continue;
        const key = this.keyOf({ method: 'GET', url: path, headers: request.headers }, source);
        if (key !== undefined && !keys.includes(key)) keys.push(key);
      }
    }
    const pending: Promise<void>[] = [];
    for (const key of keys) {
      const done = this.forget(key);
      if (done !== undefined) pending.push(done);
      this.note('invalidate', request.method!, source);
    }
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  /** The variant of a record that answers the request and may still be served, if any. */
  private match(
    record: CacheRecord | undefined,
    request: CacheRequest,
    detail: CacheHitDetail,
    source: CacheSource | undefined,
  ): StoredResponse | undefined {
    if (record === undefined) {
      this.note('miss', 'no-entry', source);
      return undefined;
    }
    const now = this.config.now();
    const variants = record.variants;
    let expired = false;
    for (let i = variants.length - 1; i >= 0; i--) {
      const entry = variants[i]!;
      if (entry.vary.length > 0 && variantOf(request.headers, entry.vary) !== entry.variant)
        continue;
      if (Math.max(0, now - entry.storedAt) > entry.serveLimit) {
        expired = true;
        continue;
      }
      this.note('hit', detail, source);
      return entry;
    }
    this.note('miss', expired ? 'expired' : 'vary-mismatch', source);
    return undefined;
  }

  private replyOf(entry: StoredResponse, detail: CacheHitDetail, head: boolean): CachedReply {
    return {
      status: entry.status,
      headers: servedHeadersOf(entry, Math.floor(this.ageOf(entry) / 1000), detail),
      body: head ? undefined : asBuffer(entry.body),
    };
  }

  private storeMiss(source: CacheSource | undefined): undefined {
    this.note('miss', 'store-error', source);
    return undefined;
  }

  /** @internal Stores a finished entry under the ticket's key, next to the other variants. */
  commit(ticket: CacheTicket, entry: StoredResponse): MaybePromise<boolean> {
    const { store, now } = this.config;
    const fail = (): boolean => {
      this.note('skip', 'store-error', ticket.source);
      return false;
    };
    return attempt(
      () => store.get(ticket.key),
      (record) => {
        const at = now();
        const variants: StoredResponse[] = [];
        let ttl = entry.serveLimit;
        for (const kept of record?.variants ?? []) {
          const left = kept.storedAt + kept.serveLimit - at;
          if (left <= 0 || sameVariant(kept, entry)) continue;
          variants.push(kept);
          if (left > ttl) ttl = left;
        }
        while (variants.length >= MAX_VARIANTS) variants.shift();
        variants.push(entry);
        return attempt(
          () => store.set(ticket.key, { variants }, ttl),
          () => {
            this.note('store', 'stored', ticket.source);
            return true;
          },
          fail,
        );
      },
      fail,
    );
  }

  /** Deletes a key, swallowing store failures; returns a promise only for an asynchronous store. */
  private forget(key: string): Promise<void> | undefined {
    const store = this.config.store;
    const done = attempt(
      () => store.delete(key),
      () => undefined,
      () => undefined,
    );
    return done instanceof Promise ? done : undefined;
  }

  /** Why a request with credentials is refused, or `undefined`. */
  private requestRefusal(request: CacheRequest): string | undefined {
    if (this.config.allowAuthorized) return undefined;
    const headers = request.headers;
    if (headers.authorization !== undefined) return 'authorization';
    if (headers.cookie !== undefined) return 'cookie';
    return undefined;
  }

  private keyOf(request: CacheRequest, source: CacheSource | undefined): string | undefined {
    let key: unknown;
    const custom = this.config.key;
    if (custom === undefined) {
      // The last default key, reused for the same target: the one string object that the store
      // holds, whose hash V8 keeps, instead of a new one built, flattened and hashed per request.
      const headers = request.headers;
      if (
        this.lastKey !== undefined &&
        request.url === this.lastUrl &&
        headers.host === this.lastHost &&
        headers[':authority'] === this.lastAuthority &&
        source?.key === this.lastSourceKey
      ) {
        return this.lastKey;
      }
      key = defaultCacheKey(request);
    } else {
      try {
        key = custom(request);
      } catch {
        this.note('skip', 'key-error', source);
        return undefined;
      }
    }
    if (typeof key !== 'string' || key.length === 0) return undefined;
    // keyed breakers partition the cache: one key's (tenant's) response never answers another's rejection
    const full = source?.key === undefined ? key : `${key}\n${source.key}`;
    if (full.length > MAX_KEY_LENGTH) {
      this.note('skip', 'key-too-long', source);
      return undefined;
    }
    if (custom === undefined) {
      this.lastKey = full;
      this.lastUrl = request.url;
      this.lastHost = request.headers.host;
      this.lastAuthority = request.headers[':authority'];
      this.lastSourceKey = source?.key;
    }
    return full;
  }

  /** @internal Emits a cache event, building it only when someone listens. */
  note(action: CacheEvent['action'], detail: string, source: CacheSource | undefined): void {
    const local = this.events.active;
    const channel = diagnostics.cache;
    if (!local && !channel.hasSubscribers) return;
    const event: CacheEvent = { breaker: source?.name ?? '', key: source?.key, action, detail };
    if (local) this.events.emit(event);
    if (channel.hasSubscribers) channel.publish(event);
  }
}
