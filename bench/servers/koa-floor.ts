// The Koa floor: bare Koa plus one no-op middleware that sets the state header and observes completion.

import { createServer } from 'node:http';
import Koa from 'koa';
import { koaHello } from '../lib/koa-handler.js';
import { serve } from '../lib/serve.js';

const app = new Koa();
// The least an in-band breaker keeping the contract can do: stamp the header, resume after next().
app.use(async (ctx, next) => {
  ctx.set('X-Circuit-Breaker-State', 'closed');
  await next(); // resumed here once the handler has finished: the completion point
});
// The same handler as the bare app.
app.use(koaHello);

await serve(createServer(app.callback()));
