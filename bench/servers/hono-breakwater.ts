// Hono 4 on @hono/node-server guarded by @breakwater/hono (app.use), driven closed or open before the run.

import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { driveState, isFailing } from '../lib/drive.js';
import { BODY_2KB, HELLO } from '../lib/payloads.js';
import { loadExport, serve, skip } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

type Factory = (options: Record<string, unknown>) => MiddlewareHandler;

const options = serverOptions();
const circuitBreaker = await loadExport<Factory>('@breakwater/hono', 'circuitBreaker');
if (circuitBreaker === undefined) skip('@breakwater/hono has no circuitBreaker export yet');

const app = new Hono();
app.use(
  circuitBreaker({
    openDuration: 3_600_000,
    ...(options.state === 'cached' ? { cache: true } : {}),
  }),
);
app.get('/hello', (c) => (isFailing() ? c.json({ error: 'failing' }, 500) : c.json(HELLO)));
app.get('/body', (c) =>
  isFailing()
    ? c.json({ error: 'failing' }, 500)
    : c.body(BODY_2KB, 200, { 'Content-Type': 'application/json' }),
);

await serve(createServer(getRequestListener(app.fetch)), async (base) => {
  const why = await driveState(
    `${base}/${options.route === 'body' ? 'body' : 'hello'}`,
    options.state,
  );
  if (why !== undefined) skip(why);
});
