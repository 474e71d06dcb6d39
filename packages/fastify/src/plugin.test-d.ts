// Type tests: route config.circuitBreaker is typed by declaration merging, as options or false.

import Fastify, { type FastifyContextConfig } from 'fastify';
import { expectTypeOf, test } from 'vitest';
import fastifyCircuitBreaker, { type FastifyCircuitBreakerOptions } from './index.js';

test('route config accepts options or false', () => {
  const app = Fastify();
  void app.register(fastifyCircuitBreaker, { failureThreshold: 3, key: (request) => request.ip });
  app.get('/a', { config: { circuitBreaker: { openDuration: 5000 } } }, async () => 'a');
  app.get('/b', { config: { circuitBreaker: false } }, async () => 'b');
  expectTypeOf<FastifyContextConfig['circuitBreaker']>().toEqualTypeOf<
    FastifyCircuitBreakerOptions | false | undefined
  >();
  const asObject: FastifyContextConfig = { circuitBreaker: { halfOpenMaxCalls: 2 } };
  const asFalse: FastifyContextConfig = { circuitBreaker: false };
  // @ts-expect-error a misspelt option is not accepted
  const misspelt: FastifyContextConfig = { circuitBreaker: { failureTreshold: 3 } };
  // @ts-expect-error true is not a route config
  const asTrue: FastifyContextConfig = { circuitBreaker: true };
  expectTypeOf([asObject, asFalse, misspelt, asTrue]).toBeArray();
});
