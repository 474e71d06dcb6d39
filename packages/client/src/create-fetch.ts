// createFetch: a fetch wrapper that backs off while the server's circuit breaker says it is open.

import { classifyResponse } from './classify.js';
import { jitteredDelay } from './jitter.js';
import {
  parseOptions,
  type ClientOptions,
  type FetchFunction,
  type FetchInput,
} from './options.js';
import { requestFacts } from './request-info.js';
import { backoffTarget } from './backoff-target.js';
import { ScopeTable, type CallFacts, type ScopeSnapshot } from './scope-table.js';
import { shortCircuitResponse } from './short-circuit.js';
import { abortableWait } from './wait.js';

/** A `fetch`-compatible function with a look at the scopes it is backing off from. */
export interface BreakwaterFetch extends FetchFunction {
  /**
   * The back-off state of the scope that governs a call to `input` (the one that would refuse it), or
   * `undefined` when every scope the call falls in is closed.
   */
  scopeState(input: FetchInput, init?: RequestInit): ScopeSnapshot | undefined;
  /** Scopes tracked now (never more than `maxScopes`). */
  readonly scopeCount: number;
  /** Forgets every scope: calls go to the network again. */
  reset(): void;
}

interface Attempt {
  readonly response: Response;
  /** When the answer says back off: how long, ms (already clamped). */
  readonly backoffMs: number | undefined;
}

/**
 * Wraps `fetch` so that a `503` with `X-Circuit-Breaker-State: open` and `Retry-After` makes later
 * calls to the same scope (what the server's `X-Circuit-Breaker-Scope` covers on that origin, else the
 * `scope` option's key) resolve at once to a local `503` (remaining `Retry-After`, the state header,
 * `X-Breakwater-Client: short-circuit`, a problem+json body) without touching the network, until the
 * server's time has passed; then one probe at a time goes out until an answer closes the scope.
 *
 * @example
 * const fetch = createFetch({ retry: { maxRetries: 2 }, onOpen: (e) => log.warn(e) });
 * const res = await fetch('https://api.example.com/users');
 * if (res.headers.get('X-Breakwater-Client') === 'short-circuit') useFallback();
 */
export function createFetch(options?: ClientOptions): BreakwaterFetch {
  const config = parseOptions(options);
  const { clock, retry } = config;
  const table = new ScopeTable(config.maxScopes, config.probeTimeout, {
    onOpen: config.onOpen,
    onClose: config.onClose,
  });

  const attempt = async (
    call: CallFacts,
    url: URL,
    input: FetchInput,
    init: RequestInit | undefined,
  ): Promise<Attempt> => {
    const admission = table.admit(call, clock.now());
    if (!admission.admitted) {
      return {
        response: shortCircuitResponse(
          admission.label,
          admission.state,
          admission.retryAfterMs,
          call.method,
          admission.wire,
        ),
        backoffMs: admission.retryAfterMs,
      };
    }
    let response: Response;
    try {
      response = await config.fetch(input, init);
    } catch (error) {
      table.settle(admission.ticket, { kind: 'error' }, clock.now());
      throw error;
    }
    const now = clock.now();
    const verdict = classifyResponse(response, {
      now,
      maxRetryAfter: config.maxRetryAfter,
      honorUnmarked503: config.honorUnmarked503,
    });
    const backoff = verdict.kind === 'open' || verdict.kind === 'half-open';
    table.settle(
      admission.ticket,
      verdict,
      now,
      backoff ? backoffTarget(response, call, url, config) : undefined,
    );
    return {
      response,
      backoffMs:
        verdict.kind === 'open' || verdict.kind === 'half-open' ? verdict.delayMs : undefined,
    };
  };

  const breakwaterFetch = async (input: FetchInput, init?: RequestInit): Promise<Response> => {
    const facts = requestFacts(input, init);
    if (facts.signal?.aborted) throw facts.signal.reason;
    if (facts.url === undefined) return config.fetch(input, init);
    const { url } = facts;
    const call: CallFacts = {
      key: config.scopeKey(url, init),
      origin: url.origin,
      method: facts.method,
      pathname: url.pathname,
    };
    const mayRetry = retry !== undefined && facts.replayable && retry.methods.has(facts.method);
    let previousWait = 0;
    for (let retries = 0; ; retries += 1) {
      const { response, backoffMs } = await attempt(call, url, input, init);
      if (
        !mayRetry ||
        backoffMs === undefined ||
        retries >= retry.maxRetries ||
        backoffMs > retry.maxDelay
      ) {
        return response;
      }
      const wait = jitteredDelay(
        retry.jitter,
        backoffMs,
        previousWait,
        retry.maxDelay,
        config.random(),
      );
      previousWait = wait;
      // Free the connection the unread 503 body holds before waiting.
      response.body?.cancel().catch(() => {});
      await abortableWait(clock, wait, facts.signal);
    }
  };

  const scopeState = (input: FetchInput, init?: RequestInit): ScopeSnapshot | undefined => {
    const { url, method } = requestFacts(input, init);
    if (url === undefined) return undefined;
    const call = {
      key: config.scopeKey(url, init),
      origin: url.origin,
      method,
      pathname: url.pathname,
    };
    return table.snapshot(call, clock.now());
  };
  // defineProperties, not Object.assign: assign would copy the getter's value once.
  return Object.defineProperties(breakwaterFetch, {
    scopeState: { value: scopeState },
    scopeCount: { get: () => table.size, enumerable: true },
    reset: { value: () => table.clear() },
  }) as BreakwaterFetch;
}
