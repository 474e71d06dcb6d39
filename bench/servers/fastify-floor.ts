// The Fastify floor: bare Fastify plus one onRequest hook (the state header) and one onResponse hook.

import Fastify from 'fastify';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = Fastify();
// The least an in-band breaker keeping the contract can do: stamp the header, observe the end.
app.addHook('onRequest', (_request, reply, done) => {
  void reply.header('X-Circuit-Breaker-State', 'closed');
  done();
});
app.addHook('onResponse', (_request, _reply, done) => {
  done();
});
app.get('/hello', async () => HELLO);

await app.listen({ port: 0, host: '127.0.0.1' });
await serve(app.server);
