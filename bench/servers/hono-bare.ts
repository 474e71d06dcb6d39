// Bare Hono 4 on @hono/node-server: hello world, the 2 KB body, or the 503 or the cache's 2 KB reply from the first middleware.

import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { BODY_2KB, HELLO, OPEN_503, SERVED_2KB_HONO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const app = new Hono();
if (options.route === 'reject503') {
  app.use(async (c) => c.body(OPEN_503.body, 503, OPEN_503.headers));
} else if (options.route === 'served') {
  app.use(async (c) => c.body(SERVED_2KB_HONO.body, 200, SERVED_2KB_HONO.headers));
}
app.get('/hello', (c) => c.json(HELLO));
app.get('/body', (c) => c.body(BODY_2KB, 200, { 'Content-Type': 'application/json' }));

await serve(createServer(getRequestListener(app.fetch)));
