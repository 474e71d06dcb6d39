// What a benchmark server is asked to do: read from the BENCH_SERVER environment variable as JSON.

/** The route a server answers and the state its breaker is driven into before the run. */
export interface ServerOptions {
  /**
   * `hello`: hello-world JSON; `body`: the 2 KB JSON; `reject503`: the bare 503 from the earliest
   * hook; `served`: the 2 KB JSON as the cache serves it (its headers too), bare from that hook.
   */
  readonly route: 'hello' | 'body' | 'reject503' | 'served';
  /** For guarded servers: the breaker state to drive into before the run. */
  readonly state: 'closed' | 'open' | 'cached';
  /** One breaker per path (`/k/:id`), at most `maxBreakers`. */
  readonly keyed: boolean;
  /** Register `@breakwater/prometheus` metrics. */
  readonly metrics: boolean;
  /** `redis`: share state through `@breakwater/redis`' RedisStore. */
  readonly store: 'memory' | 'redis';
  /** The breaker's `stateHeader` option (`when-not-closed`: no state header on closed responses). */
  readonly stateHeader: 'always' | 'when-not-closed';
}

/** Parses BENCH_SERVER, filling in defaults. */
export function serverOptions(): ServerOptions {
  const raw = process.env.BENCH_SERVER;
  const given = (raw ? JSON.parse(raw) : {}) as Partial<ServerOptions>;
  return {
    route: given.route ?? 'hello',
    state: given.state ?? 'closed',
    keyed: given.keyed ?? false,
    metrics: given.metrics ?? false,
    store: given.store ?? 'memory',
    stateHeader: given.stateHeader ?? 'always',
  };
}
