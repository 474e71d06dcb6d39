// Reading callgrind profiles: instructions per request or call, split into GC, compiler and the rest.

import { spawnSync } from 'node:child_process';

/** What one counted run measured, per request (or call). */
export interface Count {
  readonly total: number;
  /** Garbage collection (scavenges, marking, sweeping, compaction). */
  readonly gc: number;
  /** The optimizing compilers and the parser. */
  readonly compiler: number;
}

// Each collection also walks the roots: the startup and shared object caches (IterateObjectCache,
// ~300k instructions a scavenge on Node 20), handles and caches, named after their RootVisitor.
const GC =
  /Scaveng|Marking|Mark[A-Z]|Sweep|Evacuat|Compact|MemoryChunk|RememberedSet|SlotSet|Heap::|BodyDescriptor|ObjectCache\(|RootVisitor|GlobalHandles::(?:Process|Iterate|Invoke|Update|Post)|TracedHandles(?:Impl)?::(?:Process|Compute|Iterate)/;
const COMPILER = /compiler::|maglev::|Maglev|Turbofan|Parser|Compiler::|Pipeline/;

/** Whether callgrind is here to count with. */
export function hasValgrind(): boolean {
  return spawnSync('valgrind', ['--version']).status === 0;
}

/** Splits a callgrind profile's per-function totals into GC, compiler and the rest, per `units`. */
export function countProfile(file: string, units: number): Count {
  const out = spawnSync('callgrind_annotate', ['--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }).stdout;
  let total = 0;
  let gc = 0;
  let compiler = 0;
  for (const line of out.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const value = Number(match[1]!.replaceAll(',', ''));
    const name = match[2]!;
    if (name.includes('PROGRAM TOTALS')) total = value;
    else if (GC.test(name)) gc += value;
    else if (COMPILER.test(name)) compiler += value;
  }
  if (total === 0) throw new Error(`no instructions counted in ${file}`);
  return { total: total / units, gc: gc / units, compiler: compiler / units };
}

/** Switches callgrind's instrumentation of process `pid` on or off (`callgrind_control -i`). */
export function callgrindControl(pid: number, on: boolean): void {
  const result = spawnSync('callgrind_control', ['-i', on ? 'on' : 'off', String(pid)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`callgrind_control failed: ${result.stderr}`);
}
