// What the client needs to know about a fetch call before sending it: URL, method, signal, replayability.

import type { FetchInput } from './options.js';

/** The facts about one `fetch(input, init)` call that the client decides on. */
export interface RequestFacts {
  /** The absolute URL, or `undefined` when it cannot be resolved (the wrapped fetch then decides). */
  readonly url: URL | undefined;
  /** Upper-case method. */
  readonly method: string;
  readonly signal: AbortSignal | undefined;
  /** Whether the same `input`/`init` can be sent again (no one-shot stream body). */
  readonly replayable: boolean;
}

/** Reads the facts of a call; never throws. */
export function requestFacts(input: FetchInput, init: RequestInit | undefined): RequestFacts {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const signal = init?.signal ?? request?.signal ?? undefined;
  let replayable: boolean;
  if (init?.body !== undefined && init.body !== null) replayable = isReplayableBody(init.body);
  else replayable = request === undefined || request.body === null;
  return { url: resolveUrl(request?.url ?? input), method, signal, replayable };
}

function resolveUrl(input: FetchInput): URL | undefined {
  try {
    if (input instanceof URL) return input;
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    return new URL(String(input), base);
  } catch {
    return undefined;
  }
}

/** Bodies that fetch re-reads from scratch on every send; anything else (streams, iterables) is one-shot. */
export function isReplayableBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  );
}
