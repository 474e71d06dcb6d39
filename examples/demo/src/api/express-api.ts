// The demo API on Express: one route guarded by @breakwater/express.

import { circuitBreaker } from '@breakwater/express';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { breakerOptions, type ApiConfig, type RunningApi } from './api-config.js';
import { loadProfile } from './load-profile.js';

/** Starts the Express version of the API on 127.0.0.1. */
export async function startExpressApi(config: ApiConfig): Promise<RunningApi> {
  const app = express();
  app.get('/profiles/:id', circuitBreaker(breakerOptions(config)), async (req, res) => {
    const answer = await loadProfile(config.upstream, req.params.id, config.upstreamTimeout);
    res.status(answer.status).json(answer.body);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
