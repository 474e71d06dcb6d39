// undici's RetryAgent, a widely used third-party client, honours the Retry-After our servers send.

import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { Rejection, rejectionResponse } from '@breakwater/core/adapter';
import { Agent, RetryAgent, request } from 'undici';
import { scriptedServer, type RunningServer } from './servers.js';

/** Answers with the core 503 and records when each request arrived. */
function timed(arrivals: number[], handler: (res: ServerResponse) => void) {
  return (_req: unknown, res: ServerResponse): void => {
    arrivals.push(performance.now());
    handler(res);
  };
}

function breakerReply(retryAfterMs: number, override: Record<string, string> = {}) {
  return (res: ServerResponse): void => {
    const reply = rejectionResponse(new Rejection('GET /data', 'open', retryAfterMs));
    res.writeHead(503, { ...reply.headers, ...override });
    res.end(reply.body);
  };
}

function okReply(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('fine');
}

let server: RunningServer | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await server?.close();
  agent = server = undefined;
});

function retryAgent(options: ConstructorParameters<typeof RetryAgent>[1]): RetryAgent {
  agent = new Agent({ keepAliveTimeout: 100 });
  // minTimeout is tiny so that a wait of about a second can only come from Retry-After.
  return new RetryAgent(agent, { minTimeout: 10, ...options });
}

describe("undici's RetryAgent against a Breakwater 503", () => {
  it('retries a 503 by default (503 is in its default statusCodes) after our Retry-After seconds', async () => {
    const arrivals: number[] = [];
    server = await scriptedServer(timed(arrivals, breakerReply(1000)), timed(arrivals, okReply));
    const res = await request(`${server.url}/data`, {
      dispatcher: retryAgent({ maxTimeout: 5000 }),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('fine');
    expect(arrivals).toHaveLength(2);
    const gap = arrivals[1]! - arrivals[0]!;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(4000);
  });

  it('also reads the HTTP-date form (against its own clock)', async () => {
    const arrivals: number[] = [];
    // Two seconds ahead at one-second resolution: the wait lands between 1 and 2 s.
    const date = new Date(Date.now() + 2000).toUTCString();
    server = await scriptedServer(
      timed(arrivals, breakerReply(2000, { 'Retry-After': date })),
      timed(arrivals, okReply),
    );
    const res = await request(`${server.url}/data`, {
      dispatcher: retryAgent({ maxTimeout: 5000 }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const gap = arrivals[1]! - arrivals[0]!;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(4000);
  });

  it('caps our Retry-After at its maxTimeout', async () => {
    const arrivals: number[] = [];
    server = await scriptedServer(timed(arrivals, breakerReply(30_000)), timed(arrivals, okReply));
    const res = await request(`${server.url}/data`, {
      dispatcher: retryAgent({ maxTimeout: 200 }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const gap = arrivals[1]! - arrivals[0]!;
    expect(gap).toBeGreaterThanOrEqual(150);
    expect(gap).toBeLessThan(5000);
  });

  it('hands the 503 straight back when statusCodes leaves 503 out', async () => {
    server = await scriptedServer(
      (_req, res) => breakerReply(1000)(res),
      (_req, res) => okReply(res),
    );
    const res = await request(`${server.url}/data`, {
      dispatcher: retryAgent({ statusCodes: [500, 502] }),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['x-circuit-breaker-state']).toBe('open');
    await res.body.dump();
    expect(server.hits()).toBe(1);
  });
});
