// Express 5 with opossum wrapping the hello-world handler: the peer row for Express.

import { createServer } from 'node:http';
import express, { type Request, type Response } from 'express';
import CircuitBreaker from 'opossum';
import { HELLO, OPEN_503 } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const handler = async (_req: Request, res: Response): Promise<void> => {
  res.json(HELLO);
};
const breaker = new CircuitBreaker(handler, { resetTimeout: 3_600_000 });

const app = express();
app.get('/hello', (req, res) => {
  breaker.fire(req, res).catch(() => {
    if (!res.headersSent) res.status(503).set(OPEN_503.headers).send(OPEN_503.body);
  });
});

await serve(createServer(app));
