// Starts a real Prometheus server (Debian's `prometheus`) on 127.0.0.1 for a test, queries its HTTP API, stops it by PID.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** Whether a `prometheus` binary answers `--version`. */
export const hasPrometheus: boolean =
  spawnSync('prometheus', ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** One series of an instant query: its labels and value. */
export interface InstantSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** A running Prometheus server. */
export interface PrometheusServer {
  readonly url: string;
  readonly pid: number;
  /** Runs an instant query; throws on an API error; returns the vector (a scalar as one series). */
  query(expr: string): Promise<InstantSample[]>;
  /** The alerts the rule manager holds (pending or firing). */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  /** Stops the server by PID (SIGTERM, then SIGKILL after 5 s) and removes its storage. */
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with its own temporary storage, scraping `target` (host:port) as job `job`
 * every second and evaluating `ruleFiles` every second; resolves once `/-/ready` answers.
 */
export async function startPrometheus(options: {
  target: string;
  job: string;
  ruleFiles: readonly string[];
  readyWithinMs?: number;
}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'breakwater-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`),
      'scrape_configs:',
      `  - job_name: ${options.job}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(options.target)}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const killer = setTimeout(
        () => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'),
        5_000,
      );
      killer.unref();
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success')
      throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };

  const deadline = Date.now() + (options.readyWithinMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${output}`);
    }
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within the deadline: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid!,
    async query(expr) {
      const data = await api<{ resultType: string; result: unknown }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      if (data.resultType === 'scalar') {
        const [, value] = data.result as [number, string];
        return [{ metric: {}, value: Number(value) }];
      }
      if (data.resultType !== 'vector')
        throw new Error(`unexpected result type ${data.resultType}`);
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(
        (series) => ({ metric: series.metric, value: Number(series.value[1]) }),
      );
    },
    async alerts() {
      return (
        await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts')
      ).alerts;
    },
    stop,
  };
}
