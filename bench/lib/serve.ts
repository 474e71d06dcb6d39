// The server side of the harness: listen on 127.0.0.1, count requests, report CPU and heap over IPC.

import type { Server } from 'node:http';
import { defaultRegistry } from '@breakwater/core';

/** Messages a server sends its parent. */
export type ServerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'skip'; readonly reason: string }
  | { readonly type: 'reset-done' }
  | { readonly type: 'stats'; readonly stats: ServerStats };

/** What a server measured between `reset` and `stats`. */
export interface ServerStats {
  /** User + system CPU time of the server process, in µs. */
  readonly cpuMicros: number;
  /** Requests the server received. */
  readonly requests: number;
  /** Heap used (after a full GC) when the server became ready, at reset, and now. */
  readonly heapReady: number;
  readonly heapReset: number;
  readonly heapNow: number;
  /** Breakers in the process-wide registry now, and how many of them are keyed. */
  readonly breakers: number;
  readonly keyedBreakers: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function send(message: ServerMessage): void {
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

/** Tells the harness this configuration cannot run here (missing adapter, feature or Redis), then exits. */
export function skip(reason: string): never {
  send({ type: 'skip', reason });
  process.exit(0);
}

/** The server's own URL once it listens, for `prepare` steps. */
export type Prepare = (base: string) => Promise<void>;

/**
 * Serves a started server under the harness: counts its requests, runs `prepare` (e.g. trip the
 * breaker), announces the port, then answers `reset` and `stats` messages until killed.
 */
export async function serve(server: Server, prepare?: Prepare): Promise<void> {
  let requests = 0;
  server.on('request', () => {
    requests++;
  });
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const port = address.port;
  if (prepare) await prepare(`http://127.0.0.1:${port}`);
  const heapReady = heapAfterGc();
  let heapReset = heapReady;
  let cpu = process.cpuUsage();
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'reset') {
      heapReset = heapAfterGc();
      requests = 0;
      cpu = process.cpuUsage();
      send({ type: 'reset-done' });
    } else if (message.type === 'stats') {
      const used = process.cpuUsage(cpu);
      const served = requests;
      send({
        type: 'stats',
        stats: {
          cpuMicros: used.user + used.system,
          requests: served,
          heapReady,
          heapReset,
          heapNow: heapAfterGc(),
          breakers: defaultRegistry.size,
          keyedBreakers: defaultRegistry.list().filter((b) => b.key !== undefined).length,
        },
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port });
}

/** Loads a named export of a workspace package, or `undefined` when it is not there (yet). */
export async function loadExport<T>(specifier: string, name: string): Promise<T | undefined> {
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    const value = mod[name];
    return value === undefined || value === null ? undefined : (value as T);
  } catch (error) {
    return skip(`cannot import ${specifier}: ${String(error)}`);
  }
}
