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
    expect(summary.rejected + summary.backedOff).toBeGreaterThan(0);
    expect(summary.backedOff).toBeGreaterThan(0);
    expect(text).toMatch(/closed → open \((failure-threshold)\)/);
    expect(text).toMatch(/half-open → closed \(probe-success\)/);
    expect(text).toMatch(/summary: \d+ fresh/);
  }, 30_000);
});
