// Bare Express 5: hello world, the 2 KB body, or the 503 from the first middleware.

import { createServer } from 'node:http';
import express from 'express';
import { BODY_2KB, HELLO, OPEN_503 } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const app = express();
if (options.route === 'reject503') {
  app.use((_req, res) => {
    res.status(OPEN_503.status).set(OPEN_503.headers).send(OPEN_503.body);
  });
}
app.get('/hello', (_req, res) => {
  res.json(HELLO);
});
app.get('/body', (_req, res) => {
  res.type('application/json').send(BODY_2KB);
});
app.get('/k/:id', (_req, res) => {
  res.json(HELLO);
});

await serve(createServer(app));
