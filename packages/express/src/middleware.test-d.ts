// Type tests: the middleware fits app.use() and routes, and leaves req.params inference intact.

import express from 'express';
import { expectTypeOf, test } from 'vitest';
import { circuitBreaker } from './index.js';

test('route parameters stay inferred after the middleware', () => {
  const app = express();
  app.use(circuitBreaker({ key: (req) => req.ip ?? 'unknown' }));
  app.get('/users/:id', circuitBreaker(), (req) => {
    expectTypeOf(req.params.id).toEqualTypeOf<string>();
  });
  express.Router().post('/orders', circuitBreaker({ name: 'orders' }), (_req, res) => {
    res.sendStatus(201);
  });
});
