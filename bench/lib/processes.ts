// Child processes of the harness: spawned with tsx, pinned to a core with taskset when it exists.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bench/ directory: every child runs there, so `--import tsx` resolves. */
export const BENCH_DIR: string = fileURLToPath(new URL('..', import.meta.url));

/** Pinning needs taskset and both cores 0 and 1 in this process's CPU set. */
const hasTaskset =
  process.platform === 'linux' &&
  ['0', '1'].every((core) => spawnSync('taskset', ['-c', core, 'true']).status === 0);

/** Whether children are pinned to cores. */
export const PINNED: boolean = hasTaskset;

/** Spawns `node [nodeArgs] --import tsx <script> [args]` with an IPC channel, on `core` when pinning works. */
export function spawnNode(
  script: string,
  options: {
    core: number;
    nodeArgs?: readonly string[];
    args?: readonly string[];
    env?: Record<string, string>;
  },
): ChildProcess {
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])];
  const [command, argv] = hasTaskset
    ? ['taskset', ['-c', String(options.core), process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv, {
    cwd: BENCH_DIR,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the first message `accept` returns a value for; rejects on exit or after `ms`. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => T | undefined,
  ms: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no answer within ${ms} ms`)), ms);
    const onMessage = (message: unknown): void => {
      const value = accept(message);
      if (value !== undefined) finish(undefined, value);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`${what}: process exited (code ${code}, signal ${signal})`));
    function finish(error: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Stops a child and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the exit code once the child exits. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
