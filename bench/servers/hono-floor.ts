// Hono's floor: the bare app plus one middleware that sets the state header and awaits the handler's end.

import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = new Hono();
app.use('/hello', async (c, next) => {
  c.header('X-Circuit-Breaker-State', 'closed');
  await next();
});
app.get('/hello', (c) => c.json(HELLO));

await serve(createServer(getRequestListener(app.fetch)));
