// Koa 3 guarded by @breakwater/koa, driven closed, open or open-with-cache before the run.

import { createServer } from 'node:http';
import Koa, { type Context, type Middleware } from 'koa';
import { driveState, isFailing } from '../lib/drive.js';
import { extras } from '../lib/extras.js';
import { BODY_2KB, HELLO } from '../lib/payloads.js';
import { loadExport, serve, skip } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

type Factory = (options: Record<string, unknown>) => Middleware;

const options = serverOptions();
const circuitBreaker = await loadExport<Factory>('@breakwater/koa', 'circuitBreaker');
if (circuitBreaker === undefined) skip('@breakwater/koa has no circuitBreaker export yet');

const app = new Koa();
app.use(
  circuitBreaker({
    openDuration: 3_600_000,
    ...(options.state === 'cached' ? { cache: true } : {}),
    ...(options.keyed ? { key: (ctx: Context) => ctx.path, maxBreakers: 1000 } : {}),
    ...(await extras(options)),
  }),
);
app.use(async (ctx) => {
  if (isFailing()) {
    ctx.status = 500;
    ctx.body = { error: 'failing' };
  } else if (ctx.path === '/body') {
    ctx.type = 'application/json';
    ctx.body = BODY_2KB;
  } else {
    ctx.body = HELLO;
  }
});

await serve(createServer(app.callback()), async (base) => {
  const why = await driveState(
    `${base}/${options.route === 'body' ? 'body' : 'hello'}`,
    options.state,
  );
  if (why !== undefined) skip(why);
});
