// Bare Express 5: hello world, the 2 KB body, or the 503 or the cache's 2 KB reply from the first middleware.

import { createServer } from 'node:http';
import express from 'express';
import { BODY_2KB, HELLO, OPEN_503, SERVED_2KB } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const app = express();
if (options.route === 'reject503') {
  app.use((_req, res) => {
    res.status(OPEN_503.status).set(OPEN_503.headers).send(OPEN_503.body);
  });
} else if (options.route === 'served') {
  app.use((_req, res) => {
    res.status(SERVED_2KB.status).set(SERVED_2KB.headers).send(SERVED_2KB.body);
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
