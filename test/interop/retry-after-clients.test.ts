// ky and undici's RetryAgent, each allowed one retry, get through a freshly tripped breaker on every adapter.

import ky, { HTTPError } from 'ky';
import { Agent, RetryAgent, request } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { adapters, type FlakyApp, startFlakyApp } from './flaky-apps.js';

/** One GET /data with a single retry allowed; resolves to the final status and body. */
type Client = (url: string) => Promise<{ status: number; body: string }>;

/**
 * ky 1 (ky 2 needs Node 22): a 503 is retried after its Retry-After. ky retries only what it would
 * throw as an `HTTPError`, so a final 503 comes back as that error's response.
 */
const kyClient: Client = async (url) => {
  try {
    const res = await ky.get(url, {
      retry: { limit: 1, statusCodes: [503], afterStatusCodes: [503], maxRetryAfter: 5_000 },
      timeout: 4_500,
    });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    if (!(error instanceof HTTPError)) throw error;
    return { status: error.response.status, body: await error.response.text() };
  }
};

/** undici's RetryAgent; minTimeout is tiny so a wait long enough to be admitted is Retry-After's. */
const undiciClient: Client = async (url) => {
  const agent = new Agent({ keepAliveTimeout: 100 });
  onTestFinished(() => agent.close());
  const dispatcher = new RetryAgent(agent, {
    maxRetries: 1,
    minTimeout: 10,
    maxTimeout: 5_000,
    statusCodes: [503],
  });
  const res = await request(url, { dispatcher });
  return { status: res.statusCode, body: await res.body.text() };
};

const clients = [
  { client: 'ky', call: kyClient, adapters },
  // Express with undici is test/client/retry-after-admits.test.ts.
  {
    client: "undici's RetryAgent",
    call: undiciClient,
    adapters: adapters.filter((a) => a.name !== 'express'),
  },
];

/** Opens the breaker with two real 500s, then heals the dependency behind it. */
async function trip(app: FlakyApp): Promise<void> {
  app.down = true;
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${app.url}/data`);
    expect(res.status).toBe(500);
    await res.text();
  }
  expect(app.breaker.state).toBe('open');
  app.down = false;
  app.arrivals.length = 0;
}

describe.each(clients)('$client with a retry limit of 1', ({ call, adapters: targets }) => {
  it.each(targets)(
    'waits out the 503 from $name and is admitted as the probe that closes the breaker',
    async (adapter) => {
      const app = await startFlakyApp(adapter);
      await trip(app);

      const result = await call(`${app.url}/data`);

      expect(result).toEqual({ status: 200, body: 'fine' });
      expect(app.arrivals.map((a) => a.status)).toEqual([503, 200]);
      const [rejected, retry] = app.arrivals as [
        (typeof app.arrivals)[0],
        (typeof app.arrivals)[0],
      ];
      // Rounded up: the header covers all the open time that was left.
      expect(Number(rejected.retryAfter) * 1000).toBeGreaterThanOrEqual(rejected.remainingMs);
      // No early retry: the client waited at least the time the breaker still had to stay open
      // (remainingMs is rounded up to a whole ms, hence the 1 ms of slack).
      expect(retry.at - rejected.at).toBeGreaterThanOrEqual(rejected.remainingMs - 1);
      expect(retry.remainingMs).toBe(0);
      expect(app.breaker.state).toBe('closed');
    },
    6_000,
  );
});
