// Bare Fastify 5: hello world, the 2 KB body, or the 503 or the cache's 2 KB reply from the onRequest hook.

import Fastify from 'fastify';
import { BODY_2KB, HELLO, OPEN_503_HELLO_ROUTE, SERVED_2KB } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';

const options = serverOptions();
const app = Fastify();
if (options.route === 'reject503') {
  app.addHook('onRequest', (_request, reply, _done) => {
    void reply
      .code(OPEN_503_HELLO_ROUTE.status)
      .headers(OPEN_503_HELLO_ROUTE.headers)
      .send(OPEN_503_HELLO_ROUTE.body);
  });
} else if (options.route === 'served') {
  app.addHook('onRequest', (_request, reply, _done) => {
    void reply.code(SERVED_2KB.status).headers(SERVED_2KB.headers).send(SERVED_2KB.body);
  });
}
app.get('/hello', async () => HELLO);
app.get('/body', (_request, reply) => {
  void reply.type('application/json').send(BODY_2KB);
});
app.get('/k/:id', async () => HELLO);

await app.listen({ port: 0, host: '127.0.0.1' });
await serve(app.server);
