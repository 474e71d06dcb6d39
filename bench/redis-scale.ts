// Capacity of RedisStore: R replicas × B breakers in a few processes, against one Redis and a 3-primary cluster.
// Run: `pnpm --filter @breakwater/redis build && cd bench && pnpm exec tsx redis-scale.ts [--quick]`
// (REDIS_URL, default redis://127.0.0.1:6379; the cluster is started on free 127.0.0.1 ports and
// torn down at the end). Prints a table (Redis commands/s, bytes/s and CPU per replica, trip
// propagation p50/p99); asserts nothing. About two minutes (--quick: about 40 s).

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Cluster, Redis } from 'ioredis';
import { PrivateCluster } from '@breakwater/test-support';

/** One configuration measured. */
interface Scenario {
  readonly target: 'redis' | 'cluster';
  /** Replicas (one RedisStore and one client each), spread over the worker processes. */
  readonly replicas: number;
  /** Breakers per replica (the same names on every replica). */
  readonly breakers: number;
  /** Fraction of the breakers that get traffic. */
  readonly active: number;
  readonly shareCounts: boolean;
  readonly syncInterval: number;
}

/** What a worker is told to build. */
interface Job extends Scenario {
  readonly prefix: string;
  readonly url: string;
  readonly nodes: { host: string; port: number }[];
  /** This worker's replicas. */
  readonly count: number;
  /** Calls per second per active breaker per replica. */
  readonly rate: number;
}

type ToWorker = { type: 'start'; job: Job } | { type: 'trip'; name: string } | { type: 'stop' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'tripped'; name: string; at: number }
  | { type: 'seen'; name: string; at: number }
  | { type: 'stopped' };

const TRIP_BREAKERS = 20;
const now = (): number => performance.timeOrigin + performance.now();

// --- worker: hosts replicas, drives traffic, trips on demand, reports when trips arrive ---

async function worker(): Promise<void> {
  const send = (message: FromWorker): void => void process.send!(message);
  let job: Job | undefined;
  const replicas: { client: Redis | Cluster; store: RedisStore; breakers: CircuitBreaker[] }[] = [];
  let traffic: NodeJS.Timeout | undefined;

  process.on('message', (message: ToWorker) => {
    if (message.type === 'start') {
      job = message.job;
      void start(job);
    } else if (message.type === 'trip') {
      const breaker = replicas[0]!.breakers.find((b) => b.name === message.name)!;
      const at = now();
      const permit = breaker.tryAcquire();
      if (permit.admitted) permit.failure();
      send({ type: 'tripped', name: message.name, at });
    } else {
      void stop();
    }
  });

  async function start(j: Job): Promise<void> {
    const names = Array.from({ length: j.breakers }, (_, i) => `b${i}`);
    const trips = Array.from({ length: TRIP_BREAKERS }, (_, i) => `trip${i}`);
    for (let r = 0; r < j.count; r++) {
      const client =
        j.target === 'cluster'
          ? new Cluster(j.nodes, { redisOptions: { maxRetriesPerRequest: 1 } })
          : new Redis(j.url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      const store = new RedisStore({
        client,
        prefix: j.prefix,
        shareCounts: j.shareCounts,
        syncInterval: j.syncInterval,
        commandTimeout: 5000,
      });
      const registry = new BreakerRegistry();
      const breakers = [...names, ...trips].map((name) => {
        const breaker = new CircuitBreaker({
          name,
          failureThreshold: 1,
          failureRateThreshold: 50,
          minimumCalls: 20,
          openDuration: 60_000,
          window: { type: 'time', duration: 10_000 },
          registry,
          store,
        });
        if (name.startsWith('trip')) {
          const heard = breaker.onStateChange((event) => {
            if (event.to !== 'open' || event.reason !== 'remote') return;
            heard.dispose(); // the first arrival only
            send({ type: 'seen', name, at: now() });
          });
        }
        return breaker;
      });
      replicas.push({ client, store, breakers });
    }
    while (!replicas.every((r) => r.store.connected && r.store.stats.resyncs > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Traffic: `rate` successful calls per second on each active breaker of each replica, every 100 ms.
    // Light on purpose: the counts' cost depends on which breakers had traffic, not on how much.
    const active = Math.round(j.breakers * j.active);
    let carry = 0;
    traffic = setInterval(() => {
      carry += j.rate / 10;
      const calls = Math.floor(carry);
      carry -= calls;
      for (const replica of replicas) {
        for (let b = 0; b < active; b++) {
          const breaker = replica.breakers[b]!;
          for (let c = 0; c < calls; c++) {
            const permit = breaker.tryAcquire();
            if (permit.admitted) permit.success();
          }
        }
      }
    }, 100);
    send({ type: 'ready' });
  }

  async function stop(): Promise<void> {
    clearInterval(traffic);
    for (const replica of replicas) {
      for (const breaker of replica.breakers) breaker.close();
      await replica.store.close();
      replica.client.disconnect();
    }
    send({ type: 'stopped' });
    process.disconnect();
  }
}

// --- main: runs the scenarios and reads Redis's own counters ---

/** Redis's counters on one node: commands by name, network bytes, CPU seconds. */
interface NodeCounters {
  commands: Map<string, number>;
  bytes: number;
  cpu: number;
}

async function counters(node: Redis): Promise<NodeCounters> {
  const text = `${await node.info('commandstats')}\n${await node.info('stats')}\n${await node.info('cpu')}`;
  const commands = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    commands.set(match[1]!, Number(match[2]));
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    commands,
    bytes: field('total_net_input_bytes') + field('total_net_output_bytes'),
    cpu: field('used_cpu_sys') + field('used_cpu_user'),
  };
}

/** What the primaries did between two readings. */
function delta(before: NodeCounters[], after: NodeCounters[]) {
  let commands = 0;
  let scripts = 0;
  let bytes = 0;
  let cpu = 0;
  let hottest = 0;
  after.forEach((node, i) => {
    const was = before[i]!;
    for (const [name, calls] of node.commands) {
      if (name === 'info') continue;
      const d = calls - (was.commands.get(name) ?? 0);
      commands += d;
      if (name === 'evalsha' || name === 'eval') scripts += d;
    }
    bytes += node.bytes - was.bytes;
    const nodeCpu = node.cpu - was.cpu;
    cpu += nodeCpu;
    hottest = Math.max(hottest, nodeCpu);
  });
  return { commands, scripts, bytes, cpu, hottest };
}

function waitFor(child: ChildProcess, type: FromWorker['type'], ms: number): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    const on = (message: FromWorker): void => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(message);
    };
    child.on('message', on);
  });
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measure(
  scenario: Scenario,
  where: { url: string; nodes: { host: string; port: number }[]; primaries: Redis[] },
  seconds: number,
) {
  const processes = Math.min(4, scenario.replicas);
  const prefix = `bwscale:${process.pid}:${Date.now()}:`;
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'worker'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    const sent: Record<string, number> = {};
    const seen: Record<string, number[]> = {};
    for (const child of children) {
      child.on('message', (message: FromWorker) => {
        if (message.type === 'tripped') sent[message.name] = message.at;
        if (message.type === 'seen') (seen[message.name] ??= []).push(message.at);
      });
    }
    const readies = children.map((child) => waitFor(child, 'ready', 120_000));
    children.forEach((child, i) => {
      const count =
        Math.floor(scenario.replicas / processes) + (i < scenario.replicas % processes ? 1 : 0);
      const job: Job = { ...scenario, ...where, prefix, count, rate: 2 };
      child.send({ type: 'start', job } satisfies ToWorker);
    });
    await Promise.all(readies);
    await new Promise((resolve) => setTimeout(resolve, 2 * scenario.syncInterval)); // warm-up
    const before = await Promise.all(where.primaries.map(counters));
    const started = now();
    // Trips spread over the measured window, each from process 0, heard by every other replica.
    const gap = (seconds * 1000) / (TRIP_BREAKERS + 1);
    for (let t = 0; t < TRIP_BREAKERS; t++) {
      await new Promise((resolve) => setTimeout(resolve, gap));
      children[0]!.send({ type: 'trip', name: `trip${t}` } satisfies ToWorker);
    }
    await new Promise((resolve) => setTimeout(resolve, gap));
    const after = await Promise.all(where.primaries.map(counters));
    const elapsed = (now() - started) / 1000;
    const latencies = Object.entries(seen)
      .flatMap(([name, ats]) => ats.map((at) => at - (sent[name] ?? NaN)))
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    const d = delta(before, after);
    const expected = TRIP_BREAKERS * (scenario.replicas - 1);
    return {
      ...scenario,
      commandsPerReplica: d.commands / elapsed / scenario.replicas,
      scriptsPerReplica: d.scripts / elapsed / scenario.replicas,
      bytesPerReplica: d.bytes / elapsed / scenario.replicas,
      cpuPercent: (d.cpu / elapsed) * 100,
      hottestPercent: (d.hottest / elapsed) * 100,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      heard: `${latencies.length}/${expected}`,
    };
  } finally {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null) return;
        const done = waitFor(child, 'stopped', 30_000).catch(() => undefined);
        child.send({ type: 'stop' } satisfies ToWorker);
        await done;
        if (child.exitCode === null) child.kill('SIGKILL');
      }),
    );
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const seconds = quick ? 4 : 6;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const on = (replicas: number, breakers: number, syncInterval = 1000) =>
    ({ replicas, breakers, active: 0.1, shareCounts: true, syncInterval }) as const;
  const off = (replicas: number, breakers: number) =>
    ({ replicas, breakers, active: 0.1, shareCounts: false, syncInterval: 1000 }) as const;
  const single: Scenario[] = (
    quick
      ? [on(8, 200)]
      : [off(16, 1000), on(16, 100), on(16, 1000), on(16, 1000, 250), on(48, 1000)]
  ).map((s) => ({ target: 'redis', ...s }));
  const clustered: Scenario[] = (quick ? [on(8, 200)] : [off(16, 1000), on(16, 1000)]).map((s) => ({
    target: 'cluster',
    ...s,
  }));
  const rows: Awaited<ReturnType<typeof measure>>[] = [];

  const local = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const scenario of single) {
      rows.push(await measure(scenario, { url, nodes: [], primaries: [local] }, seconds));
      print(rows.at(-1)!);
    }
  } finally {
    local.disconnect();
  }

  const cluster = new PrivateCluster();
  const primaries: Redis[] = [];
  try {
    await cluster.start();
    for (const port of cluster.primaries()) primaries.push(new Redis(port, '127.0.0.1'));
    for (const scenario of clustered) {
      const where = { url, nodes: cluster.startupNodes, primaries };
      rows.push(await measure(scenario, where, seconds));
      print(rows.at(-1)!);
    }
  } finally {
    for (const primary of primaries) primary.disconnect();
    await cluster.stop();
  }
}

let printedHead = false;
function print(row: Awaited<ReturnType<typeof measure>>): void {
  if (!printedHead) {
    console.log(
      '| target | replicas | breakers | active | shareCounts | syncInterval | cmds/s per replica | scripts/s per replica | bytes/s per replica | Redis CPU (all / hottest node) | trip p50 | trip p99 | heard |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    printedHead = true;
  }
  console.log(
    `| ${row.target} | ${row.replicas} | ${row.breakers} | ${row.active * 100}% | ${row.shareCounts ? 'on' : 'off'} | ${row.syncInterval} ms | ${row.commandsPerReplica.toFixed(1)} | ${row.scriptsPerReplica.toFixed(2)} | ${Math.round(row.bytesPerReplica)} | ${row.cpuPercent.toFixed(1)}% / ${row.hottestPercent.toFixed(1)}% | ${row.p50.toFixed(2)} ms | ${row.p99.toFixed(2)} ms | ${row.heard} |`,
  );
}

if (process.argv[2] === 'worker') await worker();
else await main();
