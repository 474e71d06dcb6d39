// The dashboard's live feed: listens to a registry only while a page is connected, and sends each page
// a snapshot, every transition at once, and calls and rejections aggregated per update interval.

import type { CircuitBreaker } from '../circuit-breaker.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Disposable } from '../event-source.js';
import type { StateChangeEvent } from '../events.js';
import type { BreakerRegistry } from '../registry.js';
import { dashboardBreaker, type DashboardBreaker } from './dashboard-breaker.js';

/** One connected page: takes encoded Server-Sent Events, and can be ended. */
export interface FeedClient {
  /** Writes one or more encoded events. */
  send(chunk: string): void;
  /** Ends the stream (the feed is closing). */
  end(): void;
}

/** The first event a page gets: every breaker. */
export interface DashboardSnapshotEvent {
  /** Wall-clock ms of the snapshot (the page measures its clock offset with it). */
  readonly at: number;
  readonly breakers: readonly DashboardBreaker[];
}

/** An aggregated update: the breakers that saw calls, rejections or joined, and those that left. */
export interface DashboardUpdateEvent {
  readonly at: number;
  readonly breakers: readonly DashboardBreaker[];
  readonly removed: readonly string[];
}

/** A transition, sent as soon as it happened, with the breaker as it is now. */
export interface DashboardTransitionEvent {
  readonly at: number;
  readonly transition: StateChangeEvent;
  readonly breaker: DashboardBreaker | null;
}

/** Encodes one Server-Sent Event (`data` is JSON, so it holds no newline). */
export function encodeEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The feed behind a dashboard endpoint; every page shares it. */
export class DashboardFeed {
  private readonly clients = new Set<FeedClient>();
  private subscriptions: Disposable[] = [];
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private transitions: StateChangeEvent[] = [];
  private transitionsQueued = false;
  private updateTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;

  constructor(
    private readonly registry: BreakerRegistry,
    private readonly clock: Clock,
    private readonly updateInterval: number,
    private readonly heartbeatInterval: number,
  ) {}

  /** Pages connected. */
  get size(): number {
    return this.clients.size;
  }

  /** Whether the feed listens to the registry (only while a page is connected). */
  get listening(): boolean {
    return this.subscriptions.length > 0;
  }

  /** Connects a page: it gets the snapshot at once, then the live events. */
  add(client: FeedClient): void {
    if (this.clients.size === 0) this.start();
    this.clients.add(client);
    client.send(encodeEvent('snapshot', this.snapshot()));
  }

  /** Disconnects a page; the last one stops the listening and the timers. */
  remove(client: FeedClient): void {
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0) this.stop();
  }

  /** Ends every page's stream and frees every listener and timer. */
  close(): void {
    const clients = [...this.clients];
    this.clients.clear();
    this.stop();
    for (const client of clients) {
      try {
        client.end();
      } catch {
        // A stream that cannot be ended is already gone.
      }
    }
  }

  /** Every breaker of the registry, as the page draws it. */
  snapshot(): DashboardSnapshotEvent {
    return { at: Date.now(), breakers: this.registry.list().map(dashboardBreaker) };
  }

  private start(): void {
    const registry = this.registry;
    const touch = (event: { readonly breaker: string }): void => this.touch(event.breaker);
    this.subscriptions = [
      registry.onStateChange((event) => this.transition(event)),
      registry.onReject(touch),
      registry.onCall(touch),
      registry.onAdd((breaker: CircuitBreaker) => this.touch(breaker.name)),
      registry.onRemove((breaker: CircuitBreaker) => {
        this.dirty.delete(breaker.name);
        this.removed.add(breaker.name);
        this.schedule();
      }),
    ];
    this.beat();
  }

  private stop(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions = [];
    this.updateTimer?.cancel();
    this.updateTimer = undefined;
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
    this.dirty.clear();
    this.removed.clear();
    this.transitions = [];
  }

  private touch(name: string): void {
    this.dirty.add(name);
    if (this.updateTimer === undefined) this.schedule();
  }

  private schedule(): void {
    this.updateTimer ??= this.clock.setTimer(() => this.flush(), this.updateInterval);
  }

  /** Transitions go out at once, but outside the breaker's own call stack. */
  private transition(event: StateChangeEvent): void {
    this.transitions.push(event);
    if (this.transitionsQueued) return;
    this.transitionsQueued = true;
    queueMicrotask(() => {
      this.transitionsQueued = false;
      const events = this.transitions;
      this.transitions = [];
      if (this.clients.size === 0) return;
      let chunk = '';
      for (const transition of events) {
        const breaker = this.registry.get(transition.breaker);
        const data: DashboardTransitionEvent = {
          at: Date.now(),
          transition,
          breaker: breaker === undefined ? null : dashboardBreaker(breaker),
        };
        chunk += encodeEvent('transition', data);
      }
      this.broadcast(chunk);
    });
  }

  private flush(): void {
    this.updateTimer = undefined;
    if (this.clients.size === 0 || (this.dirty.size === 0 && this.removed.size === 0)) return;
    const breakers: DashboardBreaker[] = [];
    for (const name of this.dirty) {
      const breaker = this.registry.get(name);
      if (breaker !== undefined) breakers.push(dashboardBreaker(breaker));
    }
    const data: DashboardUpdateEvent = { at: Date.now(), breakers, removed: [...this.removed] };
    this.dirty.clear();
    this.removed.clear();
    this.broadcast(encodeEvent('update', data));
  }

  private beat(): void {
    this.heartbeatTimer = this.clock.setTimer(() => {
      this.heartbeatTimer = undefined;
      this.broadcast(': keep-alive\n\n');
      if (this.clients.size > 0) this.beat();
    }, this.heartbeatInterval);
  }

  private broadcast(chunk: string): void {
    for (const client of this.clients) {
      try {
        client.send(chunk);
      } catch {
        this.remove(client);
      }
    }
  }
}
