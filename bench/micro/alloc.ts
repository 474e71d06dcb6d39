// Bytes allocated per call: N calls between two full GCs, heap delta / N, median of several rounds.

import { median } from '../lib/stats.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether allocation can be measured (the process runs with `--expose-gc`). */
export const CAN_MEASURE_ALLOCATION: boolean = gc !== undefined;

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/**
 * Median bytes allocated per call of `fn` over `rounds` rounds of `n` calls (after one warm-up round).
 * The heap is read after a full GC before the loop and right after it, without GC, so the delta is
 * everything the calls allocated, garbage included. That holds only if no scavenge runs mid-loop:
 * run the process with a young generation larger than n × bytes per call (`--min-semi-space-size`).
 */
export async function bytesPerCall(
  fn: () => unknown,
  options: { n: number; rounds: number; async: boolean },
): Promise<number> {
  if (!CAN_MEASURE_ALLOCATION) return Number.NaN;
  const results: number[] = [];
  for (let round = -1; round < options.rounds; round++) {
    const before = heapUsed();
    if (options.async) for (let i = 0; i < options.n; i++) await fn();
    else for (let i = 0; i < options.n; i++) fn();
    const after = process.memoryUsage().heapUsed;
    if (round >= 0) results.push((after - before) / options.n);
  }
  return median(results);
}
