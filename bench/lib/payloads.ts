// The bodies every benchmark server sends, so bare and guarded servers answer byte for byte alike.

import { CircuitBreaker } from '@breakwater/core';
import {
  EXPOSED_HEADERS,
  ORIGIN_SCOPE,
  rejectionResponse,
  routeScope,
  type BreakerScope,
} from '@breakwater/core/adapter';

/** The hello-world JSON object. */
export const HELLO: { readonly hello: string } = { hello: 'world' };

/** About 2 KB of JSON, serialized once, for the cached-path rows. */
export const BODY_2KB: string = JSON.stringify({
  items: Array.from({ length: 24 }, (_, i) => ({
    id: i,
    name: `item-${i}`,
    description: 'a benchmark payload line of ordinary length',
    price: 10 + i,
  })),
});

/** A prebuilt response for the bare "earliest hook" servers. */
export interface Prebuilt<Body = string> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Body;
}

/**
 * The 503 short-circuit response our adapters send for an app-level breaker (the first unnamed
 * one, `breaker-1`, scope `* /*`: Express and Koa middleware), prebuilt for the bare "earliest
 * hook" servers, byte for byte what the guarded servers send.
 */
export const OPEN_503: Prebuilt = openReply('breaker-1', ORIGIN_SCOPE);

/** The same 503 for the breaker of the `GET /hello` route (Fastify guards each route). */
export const OPEN_503_HELLO_ROUTE: Prebuilt = openReply('GET /hello', routeScope('GET', '/hello'));

/**
 * The built-in 503 of a breaker named `name` tripped by failures (outside any registry), as
 * adapters send it, with the scope header and body member they send for `scope`.
 */
export function openReply(name: string, scope: BreakerScope): Prebuilt {
  const breaker = new CircuitBreaker({ name, openDuration: 3_600_000, registry: false });
  for (let i = 0; i < 100 && breaker.state !== 'open'; i++) {
    const permit = breaker.tryAcquire();
    if (permit.admitted) permit.failure();
  }
  const rejection = breaker.tryAcquire();
  if (rejection.admitted) throw new Error('the bench breaker did not open');
  return rejectionResponse(rejection, scope);
}

/**
 * The 2 KB JSON as the cache serves it while open, prebuilt for the bare "earliest hook" servers:
 * the headers a cached reply carries (the stored ones plus `Age`, `Cache-Status`, the state and
 * the expose list), byte for byte what the guarded servers send from their cache.
 */
export const SERVED_2KB: Prebuilt<Buffer> = {
  status: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(BODY_2KB)),
    age: '0',
    'cache-status': 'breakwater; hit; detail=circuit-open',
    'X-Circuit-Breaker-State': 'open',
    'access-control-expose-headers': EXPOSED_HEADERS,
  },
  body: Buffer.from(BODY_2KB),
};

/**
 * The same reply as Hono's cache serves it: the stored `Content-Type` is what Hono's handler set
 * (`application/json`, no charset); a view of the bytes, as a Hono app hands a body over.
 */
export const SERVED_2KB_HONO: Prebuilt<Uint8Array<ArrayBuffer>> = {
  status: 200,
  headers: { ...SERVED_2KB.headers, 'content-type': 'application/json' },
  body: new Uint8Array(
    SERVED_2KB.body.buffer as ArrayBuffer, // a Buffer's memory is never shared
    SERVED_2KB.body.byteOffset,
    SERVED_2KB.body.byteLength,
  ),
};
