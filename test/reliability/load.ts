// A bounded load generator over node:http: fixed concurrency, per-request classification, random client aborts.

import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** How the server side should behave for one request (sent as `x-soak-mode`). */
export type Mode = 'ok' | 'slow' | 'status500' | 'throw' | 'reject' | 'hang' | 'abort';

/** Every mode, for random mixes. */
export const MODES: readonly Mode[] = [
  'ok',
  'slow',
  'status500',
  'throw',
  'reject',
  'hang',
  'abort',
];

/**
 * What became of one request. `lost` is everything the breaker promised would not happen:
 * a hang, a malformed or unexpected response, a connection error nobody caused.
 */
export type Outcome =
  | 'ok'
  | 'failed' // a complete 5xx from the failing handler
  | 'rejected' // a clean 503 from the breaker
  | 'client-abort' // we aborted the request
  | 'server-abort' // the handler aborted mid-body, as told
  | 'lost';

/** One request's record (kept only for lost ones, to explain them). */
export interface Finished {
  readonly outcome: Outcome;
  readonly mode: Mode;
  readonly detail: string;
}

/** The response as the client saw it. */
export interface Raw {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const STATES = new Set(['closed', 'open', 'half-open']);

/** Checks a 503 short-circuit against the contract; returns what is wrong, or `undefined`. */
export function checkRejection(res: Raw): string | undefined {
  if (!String(res.headers['content-type']).startsWith('application/problem+json'))
    return `503 content-type ${String(res.headers['content-type'])}`;
  const retryAfter = Number(res.headers['retry-after']);
  if (!Number.isInteger(retryAfter) || retryAfter < 1) return `503 retry-after ${retryAfter}`;
  if (res.headers['cache-control'] !== 'no-store') return '503 without no-store';
  let body: { status?: unknown; retryAfter?: unknown; state?: unknown };
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    return `503 body is not JSON: ${res.body.slice(0, 80)}`;
  }
  if (body.status !== 503 || body.retryAfter !== retryAfter) return `503 body ${res.body}`;
  if (body.state !== res.headers['x-circuit-breaker-state']) return '503 state mismatch';
  return undefined;
}

/** Classifies a complete response for the mode that was asked for. */
export function classifyComplete(mode: Mode, res: Raw, expectedBody: string): Finished {
  const state = res.headers['x-circuit-breaker-state'];
  if (typeof state !== 'string' || !STATES.has(state))
    return {
      outcome: 'lost',
      mode,
      detail: `state header ${String(state)} (status ${res.status})`,
    };
  if (Number(res.headers['content-length'] ?? res.body.length) !== Buffer.byteLength(res.body))
    return { outcome: 'lost', mode, detail: 'content-length mismatch' };
  if (res.status === 503) {
    const wrong = checkRejection(res);
    return wrong === undefined
      ? { outcome: 'rejected', mode, detail: '' }
      : { outcome: 'lost', mode, detail: wrong };
  }
  if (res.status === 200 && (mode === 'ok' || mode === 'slow' || mode === 'hang')) {
    return res.body === expectedBody
      ? { outcome: 'ok', mode, detail: '' }
      : { outcome: 'lost', mode, detail: `body ${res.body.slice(0, 80)}` };
  }
  if (res.status === 500 && (mode === 'status500' || mode === 'throw' || mode === 'reject'))
    return { outcome: 'failed', mode, detail: '' };
  return { outcome: 'lost', mode, detail: `status ${res.status} body ${res.body.slice(0, 80)}` };
}

/** Options of one request. */
export interface Shot {
  readonly base: string;
  readonly path: string;
  readonly mode: Mode;
  readonly agent: Agent;
  /** Abort the request this many ms after sending it (a client that goes away). */
  readonly abortAfterMs?: number;
  /** A request still unanswered after this is `lost` (a hang). */
  readonly hangMs: number;
  readonly headers?: Record<string, string>;
}

/** Sends one request and classifies it; never rejects. */
export function shoot(shot: Shot): Promise<Finished> {
  const { mode } = shot;
  const id = Math.random().toString(36).slice(2, 10);
  const expectedBody = `ok:${id}`;
  return new Promise<Finished>((resolve) => {
    let aborted = false;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (finished: Finished): void => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      resolve(finished);
    };
    const req = httpRequest(
      `${shot.base}${shot.path}`,
      {
        agent: shot.agent,
        headers: { 'x-soak-mode': mode, 'x-soak-id': id, ...shot.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          finish(classifyComplete(mode, raw, expectedBody));
        });
        res.on('error', (error) => onError(error, res.statusCode, Buffer.concat(chunks)));
      },
    );
    const onError = (error: Error, status?: number, partial?: Buffer): void => {
      if (aborted) return finish({ outcome: 'client-abort', mode, detail: '' });
      // the handler was told to abort mid-body: a 200 head, a partial body, then the connection ends
      if (mode === 'abort' && status === 200 && partial?.toString('utf8').startsWith('partial'))
        return finish({ outcome: 'server-abort', mode, detail: '' });
      finish({ outcome: 'lost', mode, detail: `${error.message} (status ${status ?? '-'})` });
    };
    req.on('error', (error) => onError(error));
    if (shot.abortAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          if (done) return;
          aborted = true;
          req.destroy();
        }, shot.abortAfterMs),
      );
    }
    timers.push(
      setTimeout(() => {
        finish({ outcome: 'lost', mode, detail: `no answer within ${shot.hangMs} ms (hang)` });
        req.destroy();
      }, shot.hangMs),
    );
    req.end();
  });
}

/** Tallies of a run. */
export type Tally = Record<Outcome, number>;

/** An empty tally. */
export function emptyTally(): Tally {
  return { ok: 0, failed: 0, rejected: 0, 'client-abort': 0, 'server-abort': 0, lost: 0 };
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly base: string;
  readonly path: string;
  readonly concurrency: number;
  /** Stop starting requests at this `Date.now()`. */
  readonly until: number;
  /** Never send more than this many requests. */
  readonly maxRequests: number;
  /** The mode of request number `index` (0, 1, …; reads the current phase). */
  readonly nextMode: (index: number) => Mode;
  /** Probability that a request is aborted by the client at a random moment. */
  readonly abortRate: number;
  readonly hangMs: number;
}

/** Runs `concurrency` workers until `until` or `maxRequests`; returns the tally and the lost requests. */
export async function runLoad(
  options: LoadOptions,
): Promise<{ tally: Tally; lost: Finished[]; sent: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const tally = emptyTally();
  const lost: Finished[] = [];
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < options.until && sent < options.maxRequests) {
      const index = sent++;
      const abort = Math.random() < options.abortRate;
      const finished = await shoot({
        base: options.base,
        path: options.path,
        mode: options.nextMode(index),
        agent,
        abortAfterMs: abort ? Math.floor(Math.random() * 30) : undefined,
        hangMs: options.hangMs,
      });
      tally[finished.outcome]++;
      if (finished.outcome === 'lost' && lost.length < 50) lost.push(finished);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { tally, lost, sent };
}

/** A plain GET with its own connection and a large header allowance; rejects on connection errors. */
export function fetchRaw(
  url: string,
  headers: Record<string, string> = {},
  maxHeaderSize = 1024 * 1024,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers, maxHeaderSize }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
