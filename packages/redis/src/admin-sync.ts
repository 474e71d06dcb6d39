// Fleet-wide operator actions: forced-open, disabled, reset, mode and live options shared through Redis.

import {
  consoleLogger,
  defaultRegistry,
  type AdminEvent,
  type BreakerRegistry,
  type CircuitBreaker,
  type Disposable,
  type LiveOptions,
  type Logger,
} from '@breakwater/core';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Options of {@link RedisAdminSync}. */
export interface RedisAdminSyncOptions {
  /** An ioredis connection the caller owns (a second one is duplicated from it for pub/sub). */
  client: Redis;
  /** Whose breakers follow the fleet. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
  /** Key and channel prefix; use the one your `RedisStore` uses. @defaultValue `'breakwater:'` */
  prefix?: string;
  /** Where a failing write or a malformed record is reported. @defaultValue `console` */
  logger?: Logger;
}

/** What the fleet holds for one breaker: the last operator state, its mode and its option changes. */
export interface AdminRecord {
  /**
   * Version: above the previous one and at least the writer's wall-clock time (ms), so a late or
   * repeated message is ignored, even after Redis lost its data in a restart.
   */
  readonly v: number;
  readonly breaker: string;
  /** The last administrative action on the state (`reset` releases a forced open or a disable). */
  readonly state?: 'force-open' | 'disable' | 'reset';
  readonly mode?: 'enforce' | 'shadow';
  /** Every live option change so far, merged (later changes win). */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly by?: string | null;
  readonly at?: number;
  /** The sync instance that wrote it (its own echo is not applied again). */
  readonly origin?: string;
}

/**
 * Merges one change into the stored record atomically, bumps its version (at least the change's
 * wall-clock time, so versions keep rising when a restarted Redis lost the record), publishes it.
 */
const WRITE = `
local current = redis.call('GET', KEYS[1])
local record = current and cjson.decode(current) or {}
local change = cjson.decode(ARGV[1])
record.v = math.max((tonumber(record.v) or 0) + 1, tonumber(change.at) or 0)
record.breaker = change.breaker
if change.state then record.state = change.state end
if change.mode then record.mode = change.mode end
if change.options then
  if type(record.options) ~= 'table' then record.options = {} end
  for k, v in pairs(change.options) do record.options[k] = v end
end
record.by = change.by
record.at = change.at
record.origin = change.origin
local out = cjson.encode(record)
redis.call('SET', KEYS[1], out)
redis.call('PUBLISH', ARGV[2], out)
return out
`;

/**
 * Makes operator actions fleet-wide: a force-open, disable, reset, mode switch or live option change
 * made on any replica (through core's API or the admin API) is stored in Redis and applied by every
 * replica running a `RedisAdminSync` with the same prefix, at once over pub/sub, and by a replica
 * that starts or creates the breaker later (it reads the record when the breaker joins its registry).
 *
 * The rule between an operator and the breakers' own trips: an operator state wins. A forced-open
 * or disabled breaker ignores trips and recoveries from every replica until an operator resets it;
 * the reset reaches every replica, after which each follows trips again. Between two operators, the
 * later write to Redis wins (records carry a version bumped atomically in Redis). Functions
 * (`isFailure`, `random`, `logger`) cannot travel and stay local. Single-instance Redis only (the
 * record channel is not sharded).
 *
 * @example
 * const sync = new RedisAdminSync({ client: redis, prefix: 'myapp:' });
 * await sync.ready; // records of breakers that already exist are applied
 * // on shutdown: await sync.close();
 */
export class RedisAdminSync {
  /** Settles once subscribed and the records of breakers already in the registry are applied. */
  readonly ready: Promise<void>;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly registry: BreakerRegistry;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly channel: string;
  private readonly seen = new Map<string, number>();
  private readonly subscriptions: Disposable[] = [];
  private readonly origin = randomUUID();
  /** Changes whose write failed (Redis unreachable), written again in order once it is back. */
  private pending: string[] = [];
  private applying = false;
  private started = false;
  private closed = false;

  constructor(options: RedisAdminSyncOptions) {
    if (typeof options?.client?.duplicate !== 'function') {
      throw new TypeError('Breakwater: option "client" must be an ioredis connection');
    }
    this.client = options.client;
    this.registry = options.registry ?? defaultRegistry;
    this.prefix = options.prefix ?? 'breakwater:';
    this.logger = options.logger ?? consoleLogger;
    this.channel = `${this.prefix}admin`;
    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', () => undefined);
    // After a lost connection (Redis restarted, a network cut) catch up on what was missed
    this.subscriber.on('ready', () => {
      if (this.started && !this.closed) void this.flush().then(() => this.loadAll());
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    this.subscriptions.push(
      this.registry.onAdmin((event) => this.onLocal(event)),
      this.registry.onAdd((breaker) => void this.load(breaker)),
    );
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
    this.started = true;
    await this.loadAll();
  }

  private async loadAll(): Promise<void> {
    await Promise.all(this.registry.list().map((breaker) => this.load(breaker)));
  }

  private key(name: string): string {
    return `${this.prefix}admin:{${name}}`;
  }

  /** A local operator action: store it and tell the fleet (not when it came from the fleet). */
  private onLocal(event: AdminEvent): void {
    if (this.applying || this.closed) return;
    const change: Record<string, unknown> = {
      origin: this.origin,
      breaker: event.breaker,
      by: event.by ?? null,
      at: event.at,
    };
    if (event.action === 'force-open' || event.action === 'disable' || event.action === 'reset') {
      change.state = event.action;
    } else if (event.action === 'shadow' || event.action === 'enforce') {
      change.mode = event.action;
    } else {
      const options: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(event.changes ?? {})) {
        if (value !== 'function') options[name] = value;
      }
      if (typeof options.mode === 'string') change.mode = options.mode;
      delete options.mode;
      if (Object.keys(options).length === 0 && change.mode === undefined) return;
      change.options = options;
    }
    const text = JSON.stringify(change);
    if (this.pending.length > 0) {
      this.pending.push(text); // keep the order behind writes still waiting
      return;
    }
    this.write(text).catch((error: unknown) => {
      this.pending.push(text);
      this.logger.error(
        `[breakwater] admin sync: could not share ${event.action} of "${event.breaker}" yet (${String(error)}); it is written when Redis is back`,
      );
    });
  }

  private async write(text: string): Promise<void> {
    const change = JSON.parse(text) as { breaker: string };
    const out = await this.client.eval(WRITE, 1, this.key(change.breaker), text, this.channel);
    if (typeof out === 'string') this.remember(out);
  }

  /** Writes the changes a lost connection held back, in order; stops at the first failure. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      try {
        await this.write(this.pending[0]!);
      } catch {
        return;
      }
      this.pending.shift();
    }
  }

  /** Notes the version of a record we wrote, so its echo is not applied again. */
  private remember(text: string): void {
    const record = this.parse(text);
    if (record !== undefined) {
      this.seen.set(record.breaker, Math.max(this.seen.get(record.breaker) ?? 0, record.v));
    }
  }

  private parse(text: string): AdminRecord | undefined {
    try {
      const record = JSON.parse(text) as AdminRecord;
      if (typeof record?.breaker === 'string' && typeof record.v === 'number') return record;
    } catch {
      // reported below
    }
    this.logger.warn(`[breakwater] admin sync: ignored a malformed record: ${text.slice(0, 200)}`);
    return undefined;
  }

  private receive(text: string): void {
    const record = this.parse(text);
    if (record === undefined) return;
    if (record.origin === this.origin) {
      this.remember(text); // our own write: already applied here
      return;
    }
    const breaker = this.registry.get(record.breaker);
    if (breaker !== undefined) this.apply(breaker, record);
  }

  /** A breaker joined: follow what the fleet decided for it. */
  private async load(breaker: CircuitBreaker): Promise<void> {
    try {
      const text = await this.client.get(this.key(breaker.name));
      if (text === null || this.closed) return;
      const record = this.parse(text);
      if (record !== undefined) this.apply(breaker, record);
    } catch (error) {
      this.logger.error(
        `[breakwater] admin sync: could not read "${breaker.name}": ${String(error)}`,
      );
    }
  }

  /** Applies a record newer than the last one seen for this breaker. */
  private apply(breaker: CircuitBreaker, record: AdminRecord): void {
    if (record.v <= (this.seen.get(breaker.name) ?? 0)) return;
    this.seen.set(breaker.name, record.v);
    const context = { by: record.by ?? undefined };
    this.applying = true;
    try {
      if (record.options !== undefined && Object.keys(record.options).length > 0) {
        try {
          breaker.configure(record.options as LiveOptions, context);
        } catch (error) {
          this.logger.warn(
            `[breakwater] admin sync: options for "${breaker.name}" rejected here: ${String(error)}`,
          );
        }
      }
      if (record.mode !== undefined && breaker.mode !== record.mode) {
        breaker.setMode(record.mode, context);
      }
      const state = breaker.state;
      if (record.state === 'force-open' && state !== 'forced-open') breaker.forceOpen(context);
      else if (record.state === 'disable' && state !== 'disabled') breaker.disable(context);
      else if (record.state === 'reset' && (state === 'forced-open' || state === 'disabled')) {
        breaker.reset(context);
      }
    } finally {
      this.applying = false;
    }
  }

  /** Stops following the fleet: unsubscribes and closes the duplicated connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
