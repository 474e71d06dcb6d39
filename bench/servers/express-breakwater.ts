// Express 5 guarded by @breakwater/express, driven closed, open or open-with-cache before the run.

import { createServer } from 'node:http';
import express, { type RequestHandler } from 'express';
import { driveState, isFailing } from '../lib/drive.js';
import { extras } from '../lib/extras.js';
import { BODY_2KB, HELLO } from '../lib/payloads.js';
import { loadExport, serve, skip } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

type Factory = (options: Record<string, unknown>) => RequestHandler;

const options = serverOptions();
const circuitBreaker = await loadExport<Factory>('@breakwater/express', 'circuitBreaker');
if (circuitBreaker === undefined) skip('@breakwater/express has no circuitBreaker export yet');

const app = express();
app.use(
  circuitBreaker({
    openDuration: 3_600_000,
    ...(options.state === 'cached' ? { cache: true } : {}),
    ...(options.keyed ? { key: (req: express.Request) => req.path, maxBreakers: 1000 } : {}),
    ...(await extras(options)),
  }),
);
app.get('/hello', (_req, res) => {
  if (isFailing()) res.status(500).json({ error: 'failing' });
  else res.json(HELLO);
});
app.get('/body', (_req, res) => {
  if (isFailing()) res.status(500).json({ error: 'failing' });
  else res.type('application/json').send(BODY_2KB);
});
app.get('/k/:id', (_req, res) => {
  res.json(HELLO);
});

await serve(createServer(app), async (base) => {
  const why = await driveState(
    `${base}/${options.route === 'body' ? 'body' : 'hello'}`,
    options.state,
  );
  if (why !== undefined) skip(why);
});
