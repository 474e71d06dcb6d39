// The example Prometheus alerting rules pass `promtool check rules` and their promtool unit tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const monitoring = fileURLToPath(new URL('../../examples/monitoring/', import.meta.url));
const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

describe('examples/monitoring/breakwater.rules.yml', () => {
  it('alerts on the metric names @breakwater/prometheus exposes', () => {
    const rules = readFileSync(`${monitoring}breakwater.rules.yml`, 'utf8');
    expect(rules).toContain('alert: BreakwaterCircuitOpen');
    expect(rules).toContain('alert: BreakwaterHighRejectRate');
    expect(rules).toMatch(/breakwater_state\{state=~"open\|half-open"\}/);
    expect(rules).toContain('breakwater_calls_total{outcome="rejected"}');
    expect(rules).toMatch(/for: 30s/);
  });

  describe.skipIf(!hasPromtool)('with promtool', () => {
    it('passes promtool check rules', () => {
      const out = execFileSync('promtool', ['check', 'rules', 'breakwater.rules.yml'], {
        cwd: monitoring,
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(out).toContain('SUCCESS: 3 rules found');
    });

    it("every PromQL query in @breakwater/prometheus's README parses", () => {
      const readme = fileURLToPath(new URL('../../packages/prometheus/README.md', import.meta.url));
      const queries = [...readFileSync(readme, 'utf8').matchAll(/```promql\n([\s\S]*?)```/g)].map(
        (match) => match[1]!.replaceAll('$__rate_interval', '1m').replaceAll('$job', 'api'),
      );
      expect(queries.length).toBeGreaterThanOrEqual(5);
      const rules = queries
        .map(
          (q, i) => `      - record: readme:query_${i}\n        expr: ${JSON.stringify(q.trim())}`,
        )
        .join('\n');
      const dir = mkdtempSync(join(tmpdir(), 'breakwater-promql-'));
      try {
        writeFileSync(
          join(dir, 'readme.rules.yml'),
          `groups:\n  - name: readme\n    rules:\n${rules}\n`,
        );
        const out = execFileSync('promtool', ['check', 'rules', 'readme.rules.yml'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 10_000,
        });
        expect(out).toContain(`SUCCESS: ${queries.length} rules found`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fires as its promtool unit tests expect (open > 30 s, forced open, high reject rate)', () => {
      const out = execFileSync('promtool', ['test', 'rules', 'breakwater.rules.test.yml'], {
        cwd: monitoring,
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(out).toContain('SUCCESS');
    });
  });
});
