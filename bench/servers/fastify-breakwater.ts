// Fastify 5 with the @breakwater/fastify plugin on each route, driven closed, open or cached.

import Fastify, { type FastifyPluginCallback, type FastifyRequest } from 'fastify';
import { driveState, isFailing } from '../lib/drive.js';
import { extras } from '../lib/extras.js';
import { BODY_2KB, HELLO } from '../lib/payloads.js';
import { loadExport, serve, skip } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const plugin = await loadExport<FastifyPluginCallback>('@breakwater/fastify', 'default');
if (typeof plugin !== 'function') skip('@breakwater/fastify has no default plugin export yet');

const breaker = {
  openDuration: 3_600_000,
  ...(options.state === 'cached' ? { cache: true } : {}),
  ...(await extras(options)),
};
const app = Fastify();
await app.register(plugin);
app.get('/hello', { config: { circuitBreaker: breaker } }, async (_request, reply) => {
  if (isFailing()) return reply.code(500).send({ error: 'failing' });
  return HELLO;
});
app.get('/body', { config: { circuitBreaker: breaker } }, (_request, reply) => {
  if (isFailing()) void reply.code(500).send({ error: 'failing' });
  else void reply.type('application/json').send(BODY_2KB);
});
const keyed = { ...breaker, key: (request: FastifyRequest) => request.url, maxBreakers: 1000 };
app.get('/k/:id', { config: { circuitBreaker: keyed } }, async () => HELLO);

await app.listen({ port: 0, host: '127.0.0.1' });
await serve(app.server, async (base) => {
  const why = await driveState(
    `${base}/${options.route === 'body' ? 'body' : 'hello'}`,
    options.state,
  );
  if (why !== undefined) skip(why);
});
