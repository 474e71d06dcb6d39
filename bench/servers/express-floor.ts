// The Express floor: bare Express plus one no-op middleware that sets the state header and observes completion.

import { createServer } from 'node:http';
import express from 'express';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

/** What a completion observer does when the response finished: nothing (the floor measures the hook). */
function finished(): void {}

const app = express();
// The least an in-band breaker keeping the contract can do: stamp the header, watch the end.
app.use((_req, res, next) => {
  res.setHeader('X-Circuit-Breaker-State', 'closed');
  res.once('finish', finished);
  next();
});
app.get('/hello', (_req, res) => {
  res.json(HELLO);
});

await serve(createServer(app));
