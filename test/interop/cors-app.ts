// An Express API behind cors() and an app-level Breakwater breaker, and the page origin that calls it.

import { BreakerRegistry, type CircuitBreaker } from '@breakwater/core';
import { circuitBreaker } from '@breakwater/express';
import cors from 'cors';
import express from 'express';
import { serveForTest } from '@breakwater/test-support';
import { type SentHeaders, watchSentHeaders } from './sent-headers.js';

/** The app's own header, exposed to browsers by cors(). */
export const REQUEST_ID = 'X-Request-Id';

/** One request as the API saw it. */
export interface Exchange {
  readonly method: string;
  /** Whether it was a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
  readonly preflight: boolean;
  status?: number;
  headers?: SentHeaders;
}

/** A running API and the origin of the page that calls it. */
export interface CorsSetup {
  /** The API's base URL (`http://127.0.0.1:A`). */
  readonly api: string;
  /** The page's URL on another port, so every call to the API is cross-origin. */
  readonly page: string;
  readonly breaker: CircuitBreaker;
  /** Every request the API received. */
  readonly exchanges: Exchange[];
  /** Whether GET /data answers 500 (true) or 200. */
  down: boolean;
}

/**
 * Starts both servers for the running test. `preflightContinue` is cors()'s option: when true,
 * cors() hands preflights on, through the open breaker, to the app's own `OPTIONS` answer.
 */
export async function startCorsSetup(preflightContinue: boolean): Promise<CorsSetup> {
  const page = await serveForTest((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>another origin</title><p>calls the API</p>');
  });
  const registry = new BreakerRegistry();
  const state = { down: false };
  let issued = 0;
  const app = express();
  app.use(cors({ origin: page, exposedHeaders: [REQUEST_ID], preflightContinue }));
  app.use((_req, res, next) => {
    res.setHeader(REQUEST_ID, `req-${++issued}`);
    next();
  });
  app.use(circuitBreaker({ name: 'api', registry, failureThreshold: 2, openDuration: 30_000 }));
  app.use((req, res, next) => {
    if (req.method === 'OPTIONS') res.sendStatus(204);
    else next();
  });
  app.get('/data', (_req, res) => {
    res.status(state.down ? 500 : 200).json({ ok: !state.down });
  });

  const exchanges: Exchange[] = [];
  const api = await serveForTest((req, res) => {
    const exchange: Exchange = {
      method: req.method ?? '',
      preflight:
        req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined,
    };
    exchanges.push(exchange);
    watchSentHeaders(res, (headers) => (exchange.headers = headers));
    res.on('finish', () => (exchange.status = res.statusCode));
    app(req, res);
  });
  const breaker = registry.get('api');
  if (breaker === undefined) throw new Error('the app-level breaker was not built');
  return {
    api,
    page,
    breaker,
    exchanges,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
  };
}
