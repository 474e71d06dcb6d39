// The demo API on Koa with @koa/router: one route guarded by @breakwater/koa.

import { circuitBreaker } from '@breakwater/koa';
import Router from '@koa/router';
import Koa from 'koa';
import { breakerOptions, type ApiConfig, type RunningApi } from './api-config.js';
import { loadProfile } from './load-profile.js';
import { serve } from './serve.js';

/** Starts the Koa version of the API on 127.0.0.1. */
export async function startKoaApi(config: ApiConfig): Promise<RunningApi> {
  const app = new Koa();
  const router = new Router();
  router.get('/profiles/:id', circuitBreaker(breakerOptions(config)), async (ctx) => {
    const answer = await loadProfile(config.upstream, ctx.params.id ?? '', config.upstreamTimeout);
    ctx.status = answer.status;
    ctx.body = answer.body;
  });
  app.use(router.routes());
  return serve(app);
}
