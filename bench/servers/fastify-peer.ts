// Fastify 5 with @fastify/circuit-breaker on the hello-world route: the peer row for Fastify.

import Fastify from 'fastify';
import circuitBreaker from '@fastify/circuit-breaker';
import { HELLO } from '../lib/payloads.js';
import { serve } from '../lib/serve.js';

const app = Fastify();
await app.register(circuitBreaker, { resetTimeout: 3_600_000 });
app.get('/hello', { preHandler: app.circuitBreaker() }, async () => HELLO);

await app.listen({ port: 0, host: '127.0.0.1' });
await serve(app.server);
