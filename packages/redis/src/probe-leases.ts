// coordinateProbes: one replica of the fleet probes per open round, through a lease key taken in the background.

import type { CircuitBreaker } from '@breakwater/core';
import { TAKE_LEASE } from './scripts.js';
import type { Entry, StoreContext } from './store-entry.js';

/**
 * The probe leases of one store. A lease is asked for shortly before the round's reopen time;
 * a half-open breaker asks {@link ProbeLeases.holdMs} before it admits a probe and never waits on
 * Redis: without an answer in `probeLeaseTimeout` it decides locally.
 */
export class ProbeLeases {
  constructor(private readonly store: StoreContext) {}

  /** 0 to admit a probe of `entry`'s breaker now, else ms to hold it. */
  holdMs(entry: Entry | undefined): number {
    const { config } = this.store;
    if (!config.coordinateProbes || !this.store.healthy || entry === undefined) return 0;
    const now = Date.now();
    if (entry.lease === 'local') return 0;
    if (entry.lease === 'held') {
      if (now < entry.leaseUntil) return 0;
      entry.lease = 'none';
    }
    if (entry.lease === 'denied') {
      if (now < entry.leaseUntil) return Math.min(1000, Math.max(1, entry.leaseUntil - now));
      entry.lease = 'none';
    }
    if (entry.lease === 'none') this.ask(entry);
    const waited = now - entry.leaseAskedAt;
    if (waited >= config.probeLeaseTimeout) return 0; // no answer in time: decide locally
    return Math.max(1, config.probeLeaseTimeout - waited);
  }

  /** A new open round (reopening at `reopenAt`): its lease is asked for shortly before then. */
  roundStarted(entry: Entry, reopenAt: number): void {
    const { config, closed } = this.store;
    if (!config.coordinateProbes || closed) return;
    clearTimeout(entry.leaseTimer);
    entry.round = reopenAt;
    entry.lease = 'none';
    const lead = reopenAt - config.probeLeaseTimeout - Date.now();
    entry.leaseTimer = setTimeout(() => this.ask(entry), Math.max(0, lead));
    entry.leaseTimer.unref();
  }

  /** The breaker closed: no round, no lease. */
  roundEnded(entry: Entry): void {
    clearTimeout(entry.leaseTimer);
    entry.leaseTimer = undefined;
    entry.round = 0;
    entry.lease = 'none';
  }

  /** Asks for the probe lease of the entry's open round, in the background. */
  private ask(entry: Entry): void {
    const { client, closed, config, layout } = this.store;
    if (closed || entry.lease === 'asking' || entry.lease === 'held') return;
    clearTimeout(entry.leaseTimer);
    entry.leaseTimer = undefined;
    const now = Date.now();
    entry.lease = 'asking';
    entry.leaseAskedAt = now;
    if (client.status !== 'ready') {
      entry.lease = 'local';
      return;
    }
    const round = entry.round;
    const breaker: CircuitBreaker = entry.breaker;
    const ttl = Math.max(0, round - now) + breaker.config.openDuration;
    TAKE_LEASE.run(
      client,
      [layout.probe(breaker.name, round)],
      [entry.id, Math.ceil(ttl)],
      config.commandTimeout,
    ).then(
      (reply) => this.answered(entry, round, reply),
      (error: unknown) => {
        if (entry.round === round && entry.lease === 'asking') entry.lease = 'local';
        this.store.fail(error);
      },
    );
  }

  private answered(entry: Entry, round: number, reply: unknown): void {
    if (entry.round !== round || entry.lease !== 'asking' || !Array.isArray(reply)) return;
    const remaining = Number(reply[1]);
    entry.leaseUntil = Date.now() + (remaining > 0 ? remaining : 0);
    const counters = this.store.counters;
    if (reply[0] === 1) {
      entry.lease = 'held';
      counters.leasesTaken++;
      return;
    }
    entry.lease = 'denied';
    counters.leasesDenied++;
    // The holder may die: ask again once its lease has run out.
    entry.leaseTimer = setTimeout(
      () => {
        if (entry.round === round && entry.lease === 'denied') {
          entry.lease = 'none';
          this.ask(entry);
        }
      },
      Math.max(1, remaining),
    );
    entry.leaseTimer.unref();
  }
}
