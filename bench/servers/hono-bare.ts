// Bare Hono 4 on @hono/node-server: hello world or the 2 KB body.

import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { BODY_2KB, HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = new Hono();
app.get('/hello', (c) => c.json(HELLO));
app.get('/body', (c) => c.body(BODY_2KB, 200, { 'Content-Type': 'application/json' }));

await serve(createServer(getRequestListener(app.fetch)));
