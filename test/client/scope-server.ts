// A node:http server for the scope tests: it answers 503s stated with core's scope helpers while a test holds a scope open.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  SCOPE_HEADER,
  formatScope,
  rejectionResponse,
  scopeMatches,
  type BreakerScope,
  Rejection,
} from '@breakwater/core/adapter';
import { serveForTest } from '@breakwater/test-support';

/** A running scope server: which scopes are open, what reached it, and what it sends as the scope header. */
export interface ScopeServer {
  readonly url: string;
  /** `METHOD /path` of every request that reached the server. */
  readonly hits: string[];
  /** Opens a breaker of `scope` for `retryAfterMs`; its 503s carry `header` (default: the scope, formatted). */
  open(scope: BreakerScope, retryAfterMs: number, header?: string): void;
  /** Closes every breaker. */
  closeAll(): void;
}

interface OpenBreaker {
  readonly scope: BreakerScope;
  readonly rejection: Rejection;
  readonly header: string;
}

/** Answers 503 (core's rejectionResponse, plus the scope header and body field) inside an open scope, else 200. */
export async function scopeServer(extraHeaders: Record<string, string> = {}): Promise<ScopeServer> {
  const hits: string[] = [];
  const breakers: OpenBreaker[] = [];
  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...extraHeaders, 'Access-Control-Allow-Methods': '*' });
      res.end();
      return;
    }
    hits.push(`${method} ${pathname}`);
    const breaker = breakers.find((b) => scopeMatches(b.scope, method, pathname));
    if (breaker === undefined) {
      res.writeHead(200, {
        ...extraHeaders,
        'Content-Type': 'text/plain',
        'X-Circuit-Breaker-State': 'closed',
      });
      res.end(`ok ${pathname}`);
      return;
    }
    const reply = rejectionResponse(breaker.rejection);
    const body = JSON.stringify({ ...JSON.parse(reply.body), scope: breaker.scope });
    res.writeHead(reply.status, {
      ...reply.headers,
      ...extraHeaders,
      'Content-Length': String(Buffer.byteLength(body)),
      [SCOPE_HEADER]: breaker.header,
      Date: new Date().toUTCString(),
    });
    res.end(body);
  };
  const url = await serveForTest(listener);
  return {
    url,
    hits,
    open(scope, retryAfterMs, header = formatScope(scope)) {
      breakers.push({
        scope,
        header,
        rejection: new Rejection(formatScope(scope), 'open', retryAfterMs),
      });
    },
    closeAll() {
      breakers.length = 0;
    },
  };
}
