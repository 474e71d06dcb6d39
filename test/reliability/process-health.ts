// Process health probes for soak runs: memory samples after gc, a tolerant growth-trend test, live handles.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `global.gc`, exposed at run time if node was not started with `--expose-gc`. */
function obtainGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a full garbage collection when one can be forced. */
export const forceGc: () => void = obtainGc() ?? (() => {});

/** One memory reading, in bytes. */
export interface MemorySample {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/** Reads memory after a forced gc. */
export function sampleMemory(): MemorySample {
  forceGc();
  const { rss, heapUsed } = process.memoryUsage();
  return { at: Date.now(), rss, heapUsed };
}

/** Samples memory every `everyMs` until stopped; at most `max` samples. */
export function memorySampler(everyMs: number, max: number): { stop(): MemorySample[] } {
  const samples: MemorySample[] = [sampleMemory()];
  const timer = setInterval(() => {
    if (samples.length < max) samples.push(sampleMemory());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(sampleMemory());
      return samples;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median of the first and last thirds of a series. */
export function thirds(values: number[]): { first: number; last: number } {
  const third = Math.max(1, Math.floor(values.length / 3));
  return { first: median(values.slice(0, third)), last: median(values.slice(-third)) };
}

/** Whether the last third's median grew beyond `ratio` × the first third's plus `slackBytes`. */
export function grows(values: number[], ratio: number, slackBytes: number): boolean {
  const { first, last } = thirds(values);
  return last > first * ratio + slackBytes;
}

/** Live handle types (timers, sockets, servers) with counts, as `process.getActiveResourcesInfo()` lists them. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo())
    counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Resource types that are more numerous now than in `before` (e.g. `TCPSocketWrap +2`). */
export function leakedResources(before: Map<string, number>, after: Map<string, number>): string[] {
  const leaks: string[] = [];
  for (const [type, count] of after) {
    const extra = count - (before.get(type) ?? 0);
    if (extra > 0) leaks.push(`${type} +${extra}`);
  }
  return leaks;
}

/** `n` MiB in bytes. */
export const MiB = (n: number): number => n * 1024 * 1024;
