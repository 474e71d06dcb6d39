// Test helpers for this package's unit tests: a hand-moved clock and a scripted fetch (not exported).

import type { ClientClock, TimerHandle } from './clock.js';
import type { FetchInput } from './options.js';

/** A clock that moves only on `advance`, firing due timers in order. */
export class TestClock implements ClientClock {
  private timers: { due: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(private current: number = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = { due: this.current + Math.max(0, ms), callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** The delay of the only pending timer (for asserting a wait's length). */
  get nextDelay(): number | undefined {
    const pending = this.timers.filter((t) => !t.cancelled);
    return pending.length === 0 ? undefined : Math.min(...pending.map((t) => t.due)) - this.current;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.due <= target)
        .sort((a, b) => a.due - b.due)[0];
      if (due === undefined) break;
      this.current = Math.max(this.current, due.due);
      due.cancelled = true;
      due.callback();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }
}

/** A fetch double that answers from a script and records every call that reached it. */
export class ScriptedFetch {
  readonly calls: { url: string; init: RequestInit | undefined }[] = [];
  private readonly script: (() => Response | Promise<Response>)[] = [];
  fallback: () => Response | Promise<Response> = () => new Response('ok', { status: 200 });

  /** Queues the next answers. */
  then(...answers: (() => Response | Promise<Response>)[]): this {
    this.script.push(...answers);
    return this;
  }

  readonly fetch = async (input: FetchInput, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    this.calls.push({ url, init });
    const next = this.script.shift() ?? this.fallback;
    return next();
  };
}

/** A 503 like the server adapters send. */
export function breakerResponse(
  state: string,
  retryAfter: string | null,
  extra: Record<string, string> = {},
): () => Response {
  return () => {
    const headers = new Headers({ 'X-Circuit-Breaker-State': state, ...extra });
    if (retryAfter !== null) headers.set('Retry-After', retryAfter);
    return new Response('{}', { status: 503, headers });
  };
}

/** A plain answer. */
export function ok(status = 200, headers: Record<string, string> = {}): () => Response {
  return () => new Response('ok', { status, headers });
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** Lets I/O and promise callbacks run until `clock` has a pending timer (bounded). */
export async function untilTimer(clock: TestClock): Promise<void> {
  for (let i = 0; i < 200 && clock.pendingTimers === 0; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (clock.pendingTimers === 0) throw new Error('no timer was scheduled');
}
