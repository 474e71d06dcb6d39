// Runs the demo in fast mode on every framework and checks the story it printed.
import { describe, expect, it } from 'vitest';
import { runDemo, type Framework } from './demo.js';

describe.each<Framework>(['express', 'koa', 'fastify'])('the demo on %s', (framework) => {
  it('opens when the profile service fails, backs the client off, and closes after recovery', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ framework, scale: 0.3, write: (line) => lines.push(line) });
    const text = lines.join('\n');
    const path = summary.transitions.map((t) => `${t.from}→${t.to}`);

    expect(path[0]).toBe('closed→open');
    expect(path).toContain('open→half-open');
    expect(path.at(-1)).toBe('half-open→closed');
    expect(summary.fresh).toBeGreaterThan(0);
    expect(summary.cached).toBeGreaterThan(0);
    expect(text).toMatch(/200 from cache \d+/);
    expect(summary.rejected + summary.backedOff).toBeGreaterThan(0);
    expect(summary.backedOff).toBeGreaterThan(0);
    expect(text).toMatch(/closed → open \((failure-threshold)\)/);
    expect(text).toMatch(/half-open → closed \(probe-success\)/);
    expect(text).toMatch(/summary: \d+ fresh/);
    expect(text).toMatch(/enforce: breaker "profiles" leaves shadow mode/);
  }, 30_000);
});

describe.skipIf(process.env.BREAKWATER_REDIS !== '1')(
  'the demo with two replicas sharing Redis',
  () => {
    it('opens the second replica without a failure of its own', async () => {
      const lines: string[] = [];
      const summary = await runDemo({
        framework: 'express',
        scale: 0.3,
        redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        write: (line) => lines.push(line),
      });
      const b = summary.transitions.filter((t) => t.replica === 'B');
      expect(b[0]).toMatchObject({ from: 'closed', to: 'open', reason: 'remote' });
      // An operator's forced open on replica A reaches replica B, and so does its release.
      expect(b).toContainEqual(expect.objectContaining({ from: 'closed', to: 'forced-open' }));
      expect(lines.join('\n')).toMatch(
        /replica B follows: answers 503 \(urn:breakwater:problem:circuit-forced-open\)/,
      );
      expect(lines.join('\n')).toMatch(/released on A: replica B is closed again/);
      expect(lines.join('\n')).toMatch(
        /replica B, which saw no failure itself, answers 503 \(open\)/,
      );
      expect(summary.transitions.filter((t) => t.replica === 'A').at(-1)?.to).toBe('closed');
    }, 30_000);
  },
);
