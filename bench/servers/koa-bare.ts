// Bare Koa 3: hello world, the 2 KB body, or the 503 or the cache's 2 KB reply from the first middleware.

import { createServer } from 'node:http';
import Koa from 'koa';
import { koaHello } from '../lib/koa-handler.js';
import { OPEN_503, SERVED_2KB } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const app = new Koa();
if (options.route === 'reject503') {
  app.use(async (ctx) => {
    ctx.status = OPEN_503.status;
    ctx.set(OPEN_503.headers);
    ctx.body = OPEN_503.body;
  });
} else if (options.route === 'served') {
  app.use(async (ctx) => {
    ctx.status = SERVED_2KB.status;
    ctx.set(SERVED_2KB.headers);
    ctx.body = SERVED_2KB.body;
  });
}
app.use(koaHello);

await serve(createServer(app.callback()));
