// The event channels a breaker and a registry both offer, and their subscription methods.

import { EventSource, type Disposable, type Listener } from './event-source.js';
import type {
  AdminEvent,
  BreakerEventMap,
  CallEvent,
  ProbeEvent,
  RejectEvent,
  StateChangeEvent,
} from './events.js';

/** The events a breaker publishes itself (cache events come from the response cache). */
export type BreakerEventName = 'stateChange' | 'reject' | 'probe' | 'call' | 'admin';

/** Typed event channels with `on*` subscriptions; every subscription returns a disposer. */
export class BreakerEvents {
  /** @internal */
  readonly stateChangeEvents: EventSource<StateChangeEvent> = new EventSource<StateChangeEvent>();
  /** @internal */
  readonly rejectEvents: EventSource<RejectEvent> = new EventSource<RejectEvent>();
  /** @internal */
  readonly probeEvents: EventSource<ProbeEvent> = new EventSource<ProbeEvent>();
  /** @internal */
  readonly adminEvents: EventSource<AdminEvent> = new EventSource<AdminEvent>();
  /** @internal */
  readonly callEvents: EventSource<CallEvent> = new EventSource<CallEvent>(() =>
    this.callListenersChanged(),
  );
  private readonly sources: { readonly [K in BreakerEventName]: EventSource<BreakerEventMap[K]> } =
    {
      stateChange: this.stateChangeEvents,
      reject: this.rejectEvents,
      probe: this.probeEvents,
      call: this.callEvents,
      admin: this.adminEvents,
    };

  /** @internal The channel for `type`. */
  sourceOf<K extends BreakerEventName>(type: K): EventSource<BreakerEventMap[K]> {
    return this.sources[type];
  }

  /** A call listener came or went (call timing depends on it). */
  protected callListenersChanged(): void {}

  /** Subscribes to state changes. */
  onStateChange(listener: Listener<StateChangeEvent>): Disposable {
    return this.stateChangeEvents.subscribe(listener);
  }

  /** Subscribes to rejections. */
  onReject(listener: Listener<RejectEvent>): Disposable {
    return this.rejectEvents.subscribe(listener);
  }

  /** Subscribes to admitted half-open probes. */
  onProbe(listener: Listener<ProbeEvent>): Disposable {
    return this.probeEvents.subscribe(listener);
  }

  /** Subscribes to operator actions (force-open, reset, disable, mode switches, live option changes). */
  onAdmin(listener: Listener<AdminEvent>): Disposable {
    return this.adminEvents.subscribe(listener);
  }

  /** Subscribes to settled calls (turns on call timing while subscribed). */
  onCall(listener: Listener<CallEvent>): Disposable {
    return this.callEvents.subscribe(listener);
  }
}
