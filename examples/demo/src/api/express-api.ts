// The demo API on Express: one route guarded by @breakwater/express.

import { circuitBreaker } from '@breakwater/express';
import express from 'express';
import { breakerOptions, type ApiConfig, type RunningApi } from './api-config.js';
import { loadProfile } from './load-profile.js';
import { serve } from './serve.js';

/** Starts the Express version of the API on 127.0.0.1. */
export async function startExpressApi(config: ApiConfig): Promise<RunningApi> {
  const app = express();
  app.get('/profiles/:id', circuitBreaker(breakerOptions(config)), async (req, res) => {
    const answer = await loadProfile(config.upstream, req.params.id, config.upstreamTimeout);
    res.status(answer.status).json(answer.body);
  });
  return serve(app);
}
