// The live dashboard endpoint: one HTML page and its Server-Sent Events stream, behind authorize(req).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { DashboardFeed, type FeedClient } from './dashboard-feed.js';
import { parseDashboardOptions, type DashboardOptions } from './dashboard-options.js';
import { buildDashboardPage } from './dashboard-page.js';

/** A stream whose unsent output grows past this (a client that stopped reading) is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** A prepared dashboard: serve requests with {@link DashboardEndpoint.handle}, free it with `close()`. */
export interface DashboardEndpoint<R = IncomingMessage> {
  /**
   * Answers one request: the page for `GET` (and `HEAD`), the event stream for `GET ?events`.
   * `subject` is what `authorize` receives (an adapter's own request object); default `req`.
   * The promise settles once the answer has started (a stream stays open after it).
   */
  handle(req: IncomingMessage, res: ServerResponse, subject?: R): Promise<void>;
  /** Event streams open now. */
  readonly clients: number;
  /** Ends every open stream and frees every listener and timer; later requests get `503`. */
  close(): void;
}

function plain(res: ServerResponse, status: number, text: string, extra?: Record<string, string>) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(text);
}

function wantsEvents(url: string | undefined): boolean {
  const query = url?.indexOf('?') ?? -1;
  if (url === undefined || query < 0) return false;
  return new URLSearchParams(url.slice(query + 1)).has('events');
}

/**
 * Prepares a live dashboard over a breaker registry: a self-contained page showing every breaker's
 * state, rates against thresholds, open countdown, recent transitions and keyed families, updated
 * over Server-Sent Events from the registry's events (the registry is listened to only while a page
 * is connected). `authorize` is required; a refused request gets `403` and changes nothing.
 *
 * @example
 * const dashboard = dashboardEndpoint({ authorize: (req) => req.headers['x-admin'] === token });
 * http.createServer((req, res) => {
 *   if (req.url?.startsWith('/breakwater')) void dashboard.handle(req, res);
 * });
 */
export function dashboardEndpoint<R = IncomingMessage>(
  options: DashboardOptions<R>,
): DashboardEndpoint<R> {
  const config = parseDashboardOptions(options);
  const page = buildDashboardPage(config);
  const feed = new DashboardFeed(
    config.registry,
    config.clock,
    config.updateInterval,
    config.heartbeatInterval,
  );
  let closed = false;

  async function authorized(subject: R): Promise<boolean> {
    try {
      return (await config.authorize(subject)) === true;
    } catch (error) {
      config.logger.error(
        `[breakwater] dashboard authorize threw; the request was refused: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return false;
    }
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    if (feed.size >= config.maxClients) {
      plain(res, 503, 'Too many dashboard clients; try again later.\n', { 'Retry-After': '10' });
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Accel-Buffering': 'no',
    });
    const flushable = res as ServerResponse & { flush?: () => void };
    const client: FeedClient = {
      send(chunk) {
        res.write(chunk);
        flushable.flush?.(); // compression middleware buffers otherwise
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      },
      end: () => res.end(),
    };
    const leave = (): void => feed.remove(client);
    res.once('close', leave);
    req.once('close', leave);
    res.write('retry: 3000\n\n');
    feed.add(client);
  }

  return {
    async handle(req, res, subject) {
      if (closed) return plain(res, 503, 'The dashboard is closed.\n');
      if (!(await authorized((subject ?? req) as R))) return plain(res, 403, 'Forbidden\n');
      if (closed) return plain(res, 503, 'The dashboard is closed.\n');
      if (req.destroyed || res.destroyed) return;
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        return plain(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      }
      if (wantsEvents(req.url)) {
        if (method === 'HEAD') return plain(res, 200, '', { 'Content-Type': 'text/event-stream' });
        return stream(req, res);
      }
      res.writeHead(200, page.headers);
      res.end(method === 'HEAD' ? undefined : page.body);
    },
    get clients() {
      return feed.size;
    },
    close() {
      closed = true;
      feed.close();
    },
  };
}
