// dashboardHandler for Express: authorize gets Express's req, is required, and a refusal is a bare 403.
import { BreakerRegistry } from '@breakwater/core';
import express, { type Request } from 'express';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { dashboardHandler } from './index.js';

describe('dashboardHandler (express)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => dashboardHandler({})).toThrow(/option "authorize"/);
  });

  it("asks authorize with Express's req, and serves the page only when it says true", async () => {
    const registry = new BreakerRegistry();
    const seen: unknown[] = [];
    const dashboard = dashboardHandler({
      registry,
      authorize: (req) => {
        expectTypeOf(req).toEqualTypeOf<Request>();
        seen.push(req.get('x-admin'));
        return req.get('x-admin') === 'yes';
      },
    });
    const app = express();
    app.get('/breakwater', dashboard);
    const base = await serveForTest(app);
    expect((await fetch(`${base}/breakwater`)).status).toBe(403);
    const ok = await fetch(`${base}/breakwater`, { headers: { 'x-admin': 'yes' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(seen).toEqual([undefined, 'yes']);
    expect(dashboard.clients).toBe(0);
    dashboard.close();
    expect((await fetch(`${base}/breakwater`, { headers: { 'x-admin': 'yes' } })).status).toBe(503);
  });
});
