// Every PromQL expression of the Grafana dashboard, the alerting rules and the Prometheus README, run by a real Prometheus scraping a live app.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BreakerRegistry, CircuitBreaker, type BreakerStore } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitoringApp, type MonitoringApp } from '../../examples/monitoring/src/app.js';
import { hasPrometheus, startPrometheus, type PrometheusServer } from '@breakwater/test-support';
import {
  dashboardExpressions,
  markdownExpressions,
  ruleExpressions,
  type PromqlExpression,
} from './support/promql-sources.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const files = {
  dashboard: here('../../examples/monitoring/breakwater.dashboard.json'),
  rules: here('../../examples/monitoring/breakwater.rules.yml'),
  readme: here('../../packages/prometheus/README.md'),
};
const substitutions = { job: 'api', rateInterval: '30s' };
const withRedis = process.env.BREAKWATER_REDIS === '1';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

if (!hasPrometheus) {
  if (process.env.CI) {
    throw new Error(
      'prometheus is not installed; in CI the dashboard test must run (apt-get install prometheus)',
    );
  }
  console.warn(
    '\nSKIPPED: the Prometheus dashboard test (no `prometheus` binary on PATH).\n' +
      'Install it (apt-get install -y prometheus) to run every dashboard, rule and README query against a real server.\n',
  );
}

/** Polls `check` every 250 ms until it holds, failing after `ms`. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!hasPrometheus)(
  'the Grafana dashboard, the rules and the README against a real Prometheus',
  () => {
    const registry = new BreakerRegistry();
    let redis: Redis | undefined;
    let store: RedisStore | undefined;
    let monitoring: MonitoringApp;
    let server: Server;
    let base: string;
    let prometheus: PrometheusServer | undefined;
    let traffic: NodeJS.Timeout | undefined;
    let tenant = 0;
    const expressions: PromqlExpression[] = [];

    beforeAll(async () => {
      if (withRedis) {
        redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
        redis.on('error', () => undefined);
        store = new RedisStore({
          client: redis,
          prefix: `bw-dashboard-test:${process.pid}:${Date.now()}:`,
        });
      }
      monitoring = createMonitoringApp({
        registry,
        ...(store === undefined ? {} : { store: store as BreakerStore }),
      });
      server = createServer(monitoring.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      base = `http://127.0.0.1:${port}`;
      const get = (path: string, method = 'GET'): Promise<number> =>
        fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(5_000) }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });

      // A breaker an operator forced open, and traffic so that every panel has something to show.
      new CircuitBreaker({ name: 'inventory', registry }).forceOpen();
      expect(await get('/orders')).toBe(200); // stored in the response cache
      prometheus = await startPrometheus({
        target: `127.0.0.1:${port}`,
        job: 'api',
        ruleFiles: [files.rules],
      });
      // The first scrape sees orders' closed → open series at 0, before the trip.
      await eventually('a first scrape of the transitions at 0', 15_000, async () => {
        const found = await prometheus!.query(
          'breakwater_transitions_total{job="api", breaker="orders", from="closed", to="open"} == 0',
        );
        return found.length === 1;
      });
      traffic = setInterval(() => {
        void get('/orders').catch(() => undefined);
        void get(`/tenants/t${tenant++}/profile`).catch(() => undefined);
      }, 40);
      traffic.unref();
      expect(await get('/dependencies/orders/fail', 'POST')).toBe(204);
      // Failures until it opens (concurrent traffic may get there first); then the cache answers.
      for (let i = 0; i < 3 && registry.get('orders')!.state === 'closed'; i++)
        await get('/orders');
      expect(registry.get('orders')!.state).toBe('open');
      await eventually('the trip and the rejections in Prometheus', 20_000, async () => {
        const trips = await prometheus!.query(
          'increase(breakwater_transitions_total{job="api", breaker="orders", from="closed", to="open"}[30s]) > 0',
        );
        const rejected = await prometheus!.query(
          'rate(breakwater_calls_total{job="api", breaker="orders", outcome="rejected"}[30s]) > 0',
        );
        const evicted = await prometheus!.query('breakwater_family_evictions_total{job="api"} > 0');
        return trips.length === 1 && rejected.length === 1 && evicted.length === 1;
      });
      expressions.push(
        ...dashboardExpressions(files.dashboard, substitutions),
        ...ruleExpressions(files.rules, substitutions),
        ...markdownExpressions(files.readme, substitutions),
      );
    }, 55_000);

    afterAll(async () => {
      clearInterval(traffic);
      await prometheus?.stop();
      monitoring?.dispose();
      for (const breaker of registry.list()) breaker.close();
      await store?.close();
      await redis?.quit().catch(() => undefined);
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }, 15_000);

    it('finds every expression: the dashboard panels, the three alerts and the README queries', () => {
      const count = (prefix: string): number =>
        expressions.filter((e) => e.source.startsWith(prefix)).length;
      expect(count('dashboard:')).toBeGreaterThanOrEqual(15);
      expect(count('rules:')).toBe(3);
      expect(count('README')).toBeGreaterThanOrEqual(8);
    });

    it('each expression returns series with exactly the labels its aggregation keeps (and its legend names)', async () => {
      const storeQuery = (e: PromqlExpression): boolean => e.expr.includes('breakwater_store_');
      const problems: string[] = [];
      for (const e of expressions) {
        const result = await prometheus!.query(e.expr);
        if (result.length === 0) {
          if (storeQuery(e) && !withRedis) continue; // no RedisStore without Redis: nothing to show
          problems.push(`${e.source}: no data for ${e.expr}`);
          continue;
        }
        for (const series of result) {
          const names = Object.keys(series.metric).sort();
          if (JSON.stringify(names) !== JSON.stringify(e.labels)) {
            problems.push(
              `${e.source}: labels ${names.join(',')} instead of ${e.labels.join(',')}`,
            );
          }
          const legend = (e as { legendLabels?: string[] }).legendLabels ?? [];
          for (const label of legend) {
            if (series.metric[label] === undefined)
              problems.push(`${e.source}: legend names {{${label}}}, missing`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('the panels tell the trip: orders is open, tripped once, rejects, serves its cache; inventory is forced open', async () => {
      const find = (source: string): PromqlExpression => {
        const e = expressions.find((x) => x.source.startsWith(`dashboard: ${source}`));
        if (e === undefined) throw new Error(`no panel ${source}`);
        return e;
      };
      const valueOf = async (source: string, breaker: string): Promise<number | undefined> =>
        (await prometheus!.query(find(source).expr)).find((s) => s.metric.breaker === breaker)
          ?.value;
      expect(await valueOf('State per breaker', 'orders')).toBe(3);
      expect(await valueOf('State per breaker', 'inventory')).toBe(4);
      expect(await valueOf('State per breaker', 'profiles')).toBe(0);
      expect(await valueOf('Trips', 'orders')).toBeGreaterThanOrEqual(1);
      expect(await valueOf('Reject share', 'orders')).toBeGreaterThan(0.5);
      expect(await valueOf('Cache hits', 'orders')).toBeGreaterThan(0);
      expect(await valueOf('Failure rate vs threshold (B)', 'orders')).toBe(0.5);
      const notClosed = await prometheus!.query(find('Breakers not closed').expr);
      expect(notClosed.map((s) => s.value)).toEqual([2]);
      const families = await prometheus!.query(find('Breakers per family').expr);
      expect(families).toEqual([{ metric: { family: 'profiles' }, value: 100 }]);
      if (withRedis) {
        const up = await prometheus!.query(find('Store up').expr);
        expect(up).toEqual([{ metric: { store: 'RedisStore' }, value: 1 }]);
      }
    });

    it('the alerts go pending for the open and the forced-open breakers and the reject rate', async () => {
      await eventually('the three alerts', 10_000, async () => {
        const alerts = await prometheus!.alerts();
        const has = (name: string, breaker: string): boolean =>
          alerts.some((a) => a.labels.alertname === name && a.labels.breaker === breaker);
        return (
          has('BreakwaterCircuitOpen', 'orders') &&
          has('BreakwaterCircuitForcedOpen', 'inventory') &&
          has('BreakwaterHighRejectRate', 'orders')
        );
      });
    });
  },
);
