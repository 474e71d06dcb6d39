// Fastify 5 with one empty onRequest hook: what any onRequest-based breaker pays to Fastify alone.

import Fastify from 'fastify';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = Fastify();
app.addHook('onRequest', (_request, _reply, done) => {
  done();
});
app.get('/hello', async () => HELLO);

await app.listen({ port: 0, host: '127.0.0.1' });
await serve(app.server);
