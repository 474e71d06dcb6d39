// The Koa floor: bare Koa plus one no-op middleware that sets the state header and observes completion.

import { createServer } from 'node:http';
import Koa from 'koa';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = new Koa();
// The least an in-band breaker keeping the contract can do: stamp the header, resume after next().
app.use(async (ctx, next) => {
  ctx.set('X-Circuit-Breaker-State', 'closed');
  await next(); // resumed here once the handler has finished: the completion point
});
app.use(async (ctx) => {
  ctx.body = HELLO;
});

await serve(createServer(app.callback()));
