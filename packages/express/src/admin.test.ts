// adminHandler for Express over real HTTP: required authorize, Express's req, the admin scenario.
import { BreakerRegistry } from '@breakwater/core';
import express, { type Request } from 'express';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { adminScenario, serveForTest } from '@breakwater/test-support';
import { adminHandler, circuitBreaker } from './index.js';

describe('adminHandler (express)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => adminHandler({})).toThrow(/option "authorize"/);
  });

  it('lists and operates breakers, behind express.json() too', async () => {
    for (const parseJson of [false, true]) {
      const registry = new BreakerRegistry();
      const app = express();
      if (parseJson) app.use(express.json());
      app.use(
        '/admin',
        adminHandler({
          registry,
          logger: { warn: () => {}, error: () => {} },
          authorize: (req) => {
            expectTypeOf(req).toEqualTypeOf<Request>();
            return req.get('x-admin') === 'yes' && 'alice';
          },
        }),
      );
      app.get('/orders', circuitBreaker({ name: 'orders', registry }), (_req, res) => {
        res.send('ok');
      });
      await adminScenario(await serveForTest(app), registry, { appParsesJson: parseJson });
    }
  });
});
