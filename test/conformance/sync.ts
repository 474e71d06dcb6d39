// Test synchronisation without sleeps: gates a handler can wait on, and polling for I/O to land.

/** A promise the test opens when it chooses. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

/** A closed gate. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Waits (polling on the event loop, at most `ms` of real time) until `check()` is true. */
export async function until(check: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
