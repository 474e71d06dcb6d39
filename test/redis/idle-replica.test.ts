// A trip on an idle replica process (no requests, no other I/O after it) still reaches Redis at once.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';

const enabled = process.env.BREAKWATER_REDIS === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const child = fileURLToPath(new URL('./idle-replica-child.ts', import.meta.url));

describe.skipIf(!enabled)('RedisStore on an idle replica process', () => {
  it('publishes a trip made in a timer callback without waiting for any later I/O', async () => {
    const prefix = `bwidle:${process.pid}:${Date.now()}:`;
    const listener = new Redis(url, { maxRetriesPerRequest: 1 });
    onTestFinished(() => void listener.disconnect());
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => void messages.push(message));
    await listener.subscribe(`${prefix}state`);

    const replica = spawn(process.execPath, ['--import', 'tsx', child, url, prefix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => void replica.kill('SIGKILL'));
    let output = '';
    replica.stdout.on('data', (data: Buffer) => void (output += data.toString()));

    const until = async (condition: () => boolean, ms: number, what: string) => {
      const deadline = Date.now() + ms;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => output.includes('ready'), 15_000, 'the replica process');
    // Once idle, the replica's loop wakes again only for timers 30 s away: a trip that waited for
    // the next wake-up (an unref'd setImmediate does) would not arrive within this bound.
    await until(() => messages.length > 0, 5_000, 'the trip to be published');
    expect(JSON.parse(messages[0]!)).toMatchObject({ n: 'idle', s: 'open' });
  });
});
