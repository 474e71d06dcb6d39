// Bounded HTTP load on 127.0.0.1 for fault tests: one request at a time, alternating between URLs, until stopped.

import { expect } from 'vitest';
import { pause } from './poll.js';

/** Traffic under way: what it sent and how the answers went. */
export interface Traffic {
  /** Requests sent so far. */
  readonly sent: number;
  /** Requests that got no answer (a network error or the per-request timeout). */
  readonly failed: number;
  /** Answers by status. */
  readonly statuses: ReadonlyMap<number, number>;
  /** Stops sending and resolves once the last request has ended. */
  stop(): Promise<void>;
}

/**
 * Sends GETs to `urls` in turn, one at a time, until {@link Traffic.stop} or `max` requests;
 * each request times out after `timeoutMs`; `pauseMs` after each answer paces it so that `max`
 * outlasts a long scenario.
 */
export function alternatingTraffic(
  urls: readonly string[],
  { max, timeoutMs, pauseMs = 0 }: { max: number; timeoutMs: number; pauseMs?: number },
): Traffic {
  const statuses = new Map<number, number>();
  let sent = 0;
  let failed = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped && sent < max) {
      if (sent > 0 && pauseMs > 0) await pause(pauseMs);
      const url = urls[sent % urls.length]!;
      sent++;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      } catch {
        failed++;
      }
    }
  })();
  return {
    get sent() {
      return sent;
    },
    get failed() {
      return failed;
    },
    statuses,
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** Asserts that every request `traffic` sent got an answer, each with one of `statuses`. */
export function expectEveryRequestAnswered(traffic: Traffic, statuses: readonly number[]): void {
  expect(traffic.failed).toBe(0);
  const answered = [...traffic.statuses.values()].reduce((sum, n) => sum + n, 0);
  expect(answered).toBe(traffic.sent);
  expect([...traffic.statuses.keys()].filter((status) => !statuses.includes(status))).toEqual([]);
}
