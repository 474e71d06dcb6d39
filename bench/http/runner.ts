// Runs one HTTP row once: start its server, warm up, reset, load, collect the server's numbers.

import type { ChildProcess } from 'node:child_process';
import { nextMessage, spawnNode, stop } from '../lib/processes.js';
import type { ServerMessage, ServerStats } from '../lib/serve.js';
import type { Row } from './configs.js';
import type { LoadJob, LoadResult } from './load-worker.js';

/** How long and how hard each run loads its server. */
export interface Timing {
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
  /** When set, each run sends this many requests, with no warm-up, instead of timing them. */
  readonly requests?: number;
}

/** One run's figures. */
export interface Sample {
  readonly rps: number;
  /** Server CPU time per request served, µs. */
  readonly cpuMicrosPerRequest: number;
  readonly load: LoadResult;
  readonly server: ServerStats;
}

/** What one run produced. */
export type RunOutcome =
  | { readonly kind: 'sample'; readonly sample: Sample; readonly warnings: readonly string[] }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

/** The long-lived autocannon process, pinned away from the servers. */
export class LoadGenerator {
  private nextId = 0;

  private constructor(private readonly child: ChildProcess) {}

  /** Starts the load generator on `core`. */
  static async start(core: number): Promise<LoadGenerator> {
    const child = spawnNode('http/load-worker.ts', { core });
    await nextMessage(
      child,
      (m) => ((m as { ready?: boolean }).ready ? true : undefined),
      30_000,
      'load generator',
    );
    return new LoadGenerator(child);
  }

  /** Runs one load job. */
  run(job: LoadJob): Promise<LoadResult> {
    const id = ++this.nextId;
    const answer = nextMessage(
      this.child,
      (m) => {
        const message = m as { id?: number; result?: LoadResult; error?: string };
        if (message.id !== id) return undefined;
        return message;
      },
      (job.seconds + 30) * 1000,
      'load generator',
    );
    this.child.send({ id, job });
    return answer.then((message) => {
      if (message.error !== undefined) throw new Error(message.error);
      return message.result!;
    });
  }

  /** Stops it. */
  close(): Promise<void> {
    return stop(this.child);
  }
}

function ask(child: ChildProcess, type: 'reset' | 'stats'): Promise<ServerMessage> {
  const answer = nextMessage(
    child,
    (m) => {
      const message = m as ServerMessage;
      return message.type === (type === 'reset' ? 'reset-done' : 'stats') ? message : undefined;
    },
    30_000,
    `server ${type}`,
  );
  child.send({ type });
  return answer;
}

/** Runs `row` once on a fresh server pinned to `serverCore`. */
export async function runOnce(
  row: Row,
  load: LoadGenerator,
  timing: Timing,
  serverCore: number,
): Promise<RunOutcome> {
  const server = spawnNode(`servers/${row.server}.ts`, {
    core: serverCore,
    nodeArgs: ['--expose-gc'],
    env: { BENCH_SERVER: JSON.stringify(row.options ?? {}) },
  });
  try {
    const first = await nextMessage(
      server,
      (m) => {
        const message = m as ServerMessage;
        return message.type === 'ready' || message.type === 'skip' ? message : undefined;
      },
      60_000,
      `server ${row.server}`,
    );
    if (first.type === 'skip') return { kind: 'skip', reason: first.reason };
    if (first.type !== 'ready') return { kind: 'error', reason: 'unexpected message' };
    const url = `http://127.0.0.1:${first.port}`;
    const probePath = row.distinctPaths === undefined ? row.path : `${row.path}0`;
    const probe = await fetch(url + probePath);
    await probe.arrayBuffer();
    if (probe.status !== row.status) {
      return {
        kind: 'error',
        reason: `GET ${probePath} answered ${probe.status}, expected ${row.status}`,
      };
    }
    const job = (seconds: number, amount?: number): LoadJob => ({
      url,
      path: row.path,
      seconds,
      ...(amount === undefined ? {} : { amount }),
      connections: timing.connections,
      ...(row.distinctPaths === undefined ? {} : { distinctPaths: row.distinctPaths }),
    });
    const amount = timing.requests;
    if (amount === undefined && timing.warmupSeconds > 0) await load.run(job(timing.warmupSeconds));
    await ask(server, 'reset');
    const result = await load.run(job(timing.seconds, amount));
    const stats = await ask(server, 'stats');
    if (stats.type !== 'stats') return { kind: 'error', reason: 'unexpected message' };
    const warnings: string[] = [];
    if (result.errors > 0 || result.timeouts > 0)
      warnings.push(`${result.errors} errors, ${result.timeouts} timeouts`);
    const wrong =
      row.status === 200 ? result.requests - result.status2xx : result.requests - result.status5xx;
    if (wrong > 0) warnings.push(`${wrong} responses with a status other than ${row.status}`);
    const served = Math.max(1, stats.stats.requests);
    return {
      kind: 'sample',
      sample: {
        rps: result.rps,
        cpuMicrosPerRequest: stats.stats.cpuMicros / served,
        load: result,
        server: stats.stats,
      },
      warnings,
    };
  } catch (error) {
    return { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await stop(server);
  }
}
