// DashboardFeed: listens only while a page is connected; snapshot first, transitions at once, calls aggregated.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { ManualClock } from '../clock.js';
import { KeyedBreakers } from '../keyed-breakers.js';
import { BreakerRegistry } from '../registry.js';
import { DashboardFeed, type FeedClient } from './dashboard-feed.js';

interface Received {
  type: string;
  data: Record<string, unknown> & { breakers?: { name: string }[] };
}

function client(): FeedClient & { events: Received[]; chunks: string[]; ended: boolean } {
  const c = {
    events: [] as Received[],
    chunks: [] as string[],
    ended: false,
    send(chunk: string) {
      c.chunks.push(chunk);
      for (const block of chunk.split('\n\n')) {
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (type !== undefined && data !== undefined)
          c.events.push({ type, data: JSON.parse(data) });
      }
    },
    end() {
      c.ended = true;
    },
  };
  return c;
}

function setup() {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const feed = new DashboardFeed(registry, clock, 250, 15_000);
  const breaker = new CircuitBreaker({ name: 'orders', registry, clock, failureThreshold: 3 });
  return { clock, registry, feed, breaker };
}

function call(breaker: CircuitBreaker, ok: boolean): void {
  const permit = breaker.tryAcquire();
  if (!permit.admitted) return;
  if (ok) permit.success();
  else permit.failure();
}

const microtask = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

describe('DashboardFeed', () => {
  it('listens to the registry only while a page is connected', () => {
    const { registry, feed, clock } = setup();
    expect(registry.callEvents.active || registry.stateChangeEvents.active).toBe(false);
    const page = client();
    feed.add(page);
    expect(registry.callEvents.active && registry.stateChangeEvents.active).toBe(true);
    expect(registry.rejectEvents.active).toBe(true);
    feed.remove(page);
    expect(registry.callEvents.active || registry.stateChangeEvents.active).toBe(false);
    expect(registry.rejectEvents.active).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends a new page every breaker with its family and thresholds', () => {
    const { registry, feed, clock } = setup();
    const tenants = new KeyedBreakers(
      { name: 'tenant', registry, clock, failureRateThreshold: 50 },
      10,
    );
    tenants.get('acme:eu');
    const page = client();
    feed.add(page);
    expect(page.events).toHaveLength(1);
    expect(page.events[0]!.type).toBe('snapshot');
    expect(page.events[0]!.data.breakers).toMatchObject([
      { name: 'orders', family: null, state: 'closed', thresholds: { failureThreshold: 3 } },
      {
        name: 'tenant:acme:eu',
        key: 'acme:eu',
        family: 'tenant',
        thresholds: { failureRateThreshold: 50, minimumCalls: 10 },
      },
    ]);
  });

  it('aggregates calls into one update per interval, for the breakers that saw them', () => {
    const { registry, feed, clock, breaker } = setup();
    new CircuitBreaker({ name: 'idle', registry, clock });
    const page = client();
    feed.add(page);
    for (let i = 0; i < 100; i++) call(breaker, true);
    expect(page.events).toHaveLength(1);
    clock.advance(249);
    expect(page.events).toHaveLength(1);
    clock.advance(1);
    expect(page.events).toHaveLength(2);
    expect(page.events[1]).toMatchObject({
      type: 'update',
      data: { breakers: [{ name: 'orders', totals: { success: 100 } }], removed: [] },
    });
    clock.advance(10_000);
    expect(page.events.filter((e) => e.type === 'update')).toHaveLength(1);
  });

  it('sends a transition at once, without waiting for the interval', async () => {
    const { feed, breaker } = setup();
    const page = client();
    feed.add(page);
    for (let i = 0; i < 3; i++) call(breaker, false);
    await microtask();
    const transition = page.events.find((e) => e.type === 'transition');
    expect(transition?.data).toMatchObject({
      transition: { breaker: 'orders', from: 'closed', to: 'open', reason: 'failure-threshold' },
      breaker: { name: 'orders', state: 'open', totals: { failure: 3 } },
    });
  });

  it('aggregates rejections and reports breakers that join and leave', () => {
    const { registry, feed, clock, breaker } = setup();
    const page = client();
    feed.add(page);
    breaker.forceOpen();
    for (let i = 0; i < 5; i++) breaker.tryAcquire();
    const late = new CircuitBreaker({ name: 'late', registry, clock });
    clock.advance(250);
    const update = page.events.find((e) => e.type === 'update')!;
    expect(update.data.breakers!.map((b) => b.name).sort()).toEqual(['late', 'orders']);
    expect(update.data.breakers!.find((b) => b.name === 'orders')).toMatchObject({
      totals: { rejected: 5 },
    });
    late.close();
    clock.advance(250);
    expect(page.events.at(-1)).toMatchObject({ type: 'update', data: { removed: ['late'] } });
  });

  it('keeps idle streams alive with a heartbeat comment', () => {
    const { feed, clock } = setup();
    const page = client();
    feed.add(page);
    clock.advance(15_000);
    clock.advance(15_000);
    expect(page.chunks.filter((c) => c === ': keep-alive\n\n')).toHaveLength(2);
  });

  it('drops a page whose stream throws, and close() ends the others and frees everything', () => {
    const { registry, feed, clock, breaker } = setup();
    const broken = client();
    broken.send = (chunk: string) => {
      if (chunk.startsWith('event: update')) throw new Error('socket gone');
    };
    const page = client();
    feed.add(broken);
    feed.add(page);
    call(breaker, true);
    clock.advance(250);
    expect(feed.size).toBe(1);
    feed.close();
    expect(page.ended).toBe(true);
    expect(feed.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(registry.callEvents.active || registry.stateChangeEvents.active).toBe(false);
  });
});
