// A third-party client that waits exactly the Retry-After of a real breaker's 503 is admitted on its one retry.

import { BreakerRegistry } from '@breakwater/core';
import { circuitBreaker } from '@breakwater/express';
import express from 'express';
import { Agent, RetryAgent, request } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { serveForTest } from '@breakwater/test-support';

describe('Retry-After rounds up, so one retry is enough', () => {
  it("undici's RetryAgent with maxRetries 1 gets through a breaker that is open for 1.5 s more", async () => {
    const registry = new BreakerRegistry();
    let down = true;
    let handled = 0;
    const sent: string[] = []; // the Retry-After of every 503 the server wrote
    const app = express();
    app.use((_req, res, next) => {
      res.on('finish', () => {
        if (res.statusCode === 503) sent.push(String(res.getHeader('retry-after')));
      });
      next();
    });
    app.get(
      '/data',
      circuitBreaker({ name: 'data', registry, failureThreshold: 2, openDuration: 1_500 }),
      (_req, res) => {
        handled++;
        res.status(down ? 500 : 200).send(down ? 'down' : 'fine');
      },
    );
    const url = await serveForTest(app);
    const agent = new Agent({ keepAliveTimeout: 100 });
    onTestFinished(() => agent.close());
    for (let i = 0; i < 2; i++) {
      await (await request(`${url}/data`, { dispatcher: agent })).body.dump();
    }
    const breaker = registry.get('data')!;
    expect(breaker.state).toBe('open');
    down = false;

    const retrying = new RetryAgent(agent, {
      maxRetries: 1,
      minTimeout: 10, // a wait long enough to be admitted can only come from Retry-After
      maxTimeout: 5_000,
      statusCodes: [503],
    });
    const res = await request(`${url}/data`, { dispatcher: retrying });
    expect(await res.body.text()).toBe('fine');
    expect(res.statusCode).toBe(200);
    expect(sent).toHaveLength(1); // one 503, then the retry was admitted
    expect(Number(sent[0])).toBeGreaterThanOrEqual(1);
    expect(handled).toBe(3); // two failures, then the retry as the probe
    expect(breaker.state).toBe('closed');
  });
});
