// The example Prometheus alerting rules pass `promtool check rules` and their promtool unit tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
