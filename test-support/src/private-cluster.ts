// A private Redis Cluster (3 primaries + 3 replicas) on free 127.0.0.1 ports, started and torn down by a test.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { pause } from './poll.js';

/** Whether `redis-server` and `redis-cli` are on the PATH (the cluster suites need nothing else). */
export function clusterToolsPresent(): boolean {
  const server = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  const cli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' });
  return server.status === 0 && cli.status === 0;
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** One node of the cluster: its port and process. */
export interface ClusterNode {
  readonly port: number;
  child: ChildProcess | undefined;
}

/**
 * A Redis Cluster this test owns: six redis-server processes (no persistence, config files in a
 * temporary directory), joined with `redis-cli --cluster create`; {@link PrivateCluster.stop}
 * kills every process by its PID and removes the directory.
 */
export class PrivateCluster {
  readonly nodes: ClusterNode[] = [];
  private dir: string | undefined;
  /** Kills the nodes if the test process exits without calling {@link PrivateCluster.stop}. */
  private readonly onExit = (): void => {
    for (const node of this.nodes) node.child?.kill('SIGKILL');
  };

  /** `host:port` of every node, for ioredis's `Cluster`. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  /** Starts the nodes, creates the cluster and waits (at most 30 s) until every node says it is ok. */
  async start(size = 6): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'bw-cluster-'));
    process.once('exit', this.onExit);
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--cluster-enabled',
          'yes',
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-config-file',
          join(this.dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          this.dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore' },
      );
      const node: ClusterNode = { port, child };
      child.once('exit', () => {
        if (node.child === child) node.child = undefined;
      });
      this.nodes.push(node);
    }
    for (const node of this.nodes) await this.untilAnswers(node.port);
    const created = cli(
      this.nodes[0]!.port,
      '--cluster',
      'create',
      ...this.nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    );
    if (!created.includes('[OK] All 16384 slots covered'))
      throw new Error(`redis-cli --cluster create failed:\n${created}`);
    await this.untilHealthy(30_000);
  }

  private async untilAnswers(port: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!cli(port, 'PING').includes('PONG')) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await pause(50);
    }
  }

  /** Waits until every running node reports `cluster_state:ok` and knows 3 primaries with replicas. */
  async untilHealthy(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const running = this.nodes.filter((node) => node.child !== undefined);
      const ok = running.every((node) =>
        cli(node.port, 'CLUSTER', 'INFO').includes('cluster_state:ok'),
      );
      const synced = this.table()
        .filter((n) => n.flags.includes('slave'))
        .every((n) => cli(n.port, 'INFO', 'replication').includes('master_link_status:up'));
      if (ok && synced && this.primaries().length === 3) return;
      if (Date.now() > deadline) throw new Error('the cluster did not become healthy');
      await pause(100);
    }
  }

  /**
   * `CLUSTER NODES` as the node on `viewer` (by default the first running node) sees it: port,
   * flags and slot ranges of each node.
   */
  private table(
    viewer = this.nodes.find((node) => node.child !== undefined)?.port,
  ): { port: number; flags: string[]; ranges: [number, number][] }[] {
    if (viewer === undefined) return [];
    return cli(viewer, 'CLUSTER', 'NODES')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const fields = line.trim().split(' ');
        return {
          port: Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]),
          flags: (fields[2] ?? '').split(','),
          ranges: fields
            .slice(8)
            .filter((range) => /^\d+(-\d+)?$/.test(range))
            .map((range) => {
              const [from, to] = range.split('-').map(Number);
              return [from!, to ?? from!] as [number, number];
            }),
        };
      });
  }

  /** The port of every running primary that serves slots. */
  primaries(): number[] {
    return this.table()
      .filter((n) => n.flags.includes('master') && !n.flags.some((f) => f.startsWith('fail')))
      .filter((n) => n.ranges.length > 0)
      .map((n) => n.port)
      .filter((port) => this.nodes.some((node) => node.port === port && node.child !== undefined));
  }

  /** The port of the primary serving `key`'s slot. */
  primaryOf(key: string): number {
    const port = this.nodes.find((node) => node.child !== undefined)!.port;
    const slot = Number(cli(port, 'CLUSTER', 'KEYSLOT', key).trim());
    const owner = this.table().find(
      (n) =>
        n.flags.includes('master') &&
        !n.flags.some((f) => f.startsWith('fail')) &&
        n.ranges.some(([from, to]) => from <= slot && slot <= to),
    );
    if (owner === undefined) throw new Error(`no primary serves slot ${slot}`);
    return owner.port;
  }

  /** A replica of the primary on `port`. */
  replicaOf(port: number): number {
    const info = cli(port, 'INFO', 'replication');
    const match = /slave0:ip=[^,]+,port=(\d+)/.exec(info);
    if (match === null) throw new Error(`the primary on ${port} has no replica:\n${info}`);
    return Number(match[1]);
  }

  /**
   * Promotes `replicaPort` with `CLUSTER FAILOVER` (asked again every 3 s, as a replica that is
   * not caught up yet lets the request lapse) and waits (at most 20 s) until it is a primary.
   */
  async failover(replicaPort: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    let askedAt = 0;
    while (!cli(replicaPort, 'ROLE').startsWith('master')) {
      if (Date.now() > deadline) throw new Error(`the replica on ${replicaPort} was not promoted`);
      if (Date.now() - askedAt > 3000) {
        cli(replicaPort, 'CLUSTER', 'FAILOVER');
        askedAt = Date.now();
      }
      await pause(50);
    }
    await this.untilSeenAsPrimary(replicaPort, deadline);
  }

  /**
   * Waits until every running node's `CLUSTER NODES` shows `port` as a primary serving slots: the
   * promoted node says `ROLE master` before gossip has told the others, whose view
   * {@link PrivateCluster.primaryOf} reads.
   */
  private async untilSeenAsPrimary(port: number, deadline: number): Promise<void> {
    for (;;) {
      const running = this.nodes.filter((node) => node.child !== undefined);
      const seen = running.every((node) =>
        this.table(node.port).some(
          (n) => n.port === port && n.flags.includes('master') && n.ranges.length > 0,
        ),
      );
      if (seen) return;
      if (Date.now() > deadline)
        throw new Error(`the cluster did not learn that ${port} is primary`);
      await pause(50);
    }
  }

  /**
   * Kills the primary on `port` (SIGKILL, no goodbye) and waits (at most 20 s) until its replica
   * `replicaPort` has been elected in its place (after `cluster-node-timeout`, 2 s here).
   */
  async killPrimary(port: number, replicaPort: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    const child = node?.child;
    if (node === undefined || child === undefined) throw new Error(`no running node on ${port}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 20_000;
    while (!cli(replicaPort, 'ROLE').startsWith('master')) {
      if (Date.now() > deadline) throw new Error(`the replica on ${replicaPort} was not elected`);
      await pause(50);
    }
    await this.untilSeenAsPrimary(replicaPort, deadline);
  }

  /** Runs a redis-cli command against the node on `port` and returns what it printed. */
  cli(port: number, ...args: string[]): string {
    return cli(port, ...args);
  }

  /** Kills every node by its PID (SIGKILL) and removes the config directory. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const child = node.child;
        node.child = undefined;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    process.off('exit', this.onExit);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
