// A typed event with a fast path for zero or one listener; a throwing listener never reaches the caller.

/** Something that can be undone: returned by every subscription. */
export interface Disposable {
  /** Removes the subscription. Calling it twice is harmless. */
  dispose(): void;
}

/** A function that receives events of type `T`. */
export type Listener<T> = (event: T) => void;

/** Where a listener's error goes: it is reported, never rethrown into a request. */
export type ListenerErrorHandler = (error: unknown) => void;

const reportListenerError: ListenerErrorHandler = (error) => {
  process.emitWarning(
    `A Breakwater event listener threw: ${error instanceof Error ? error.message : String(error)}`,
    { code: 'BREAKWATER_LISTENER_ERROR' },
  );
};

/** A single typed event channel. */
export class EventSource<T> {
  private listeners: Listener<T>[] = [];
  /** `true` when at least one listener is subscribed; read it before building an event. */
  active = false;
  private readonly onChange: (() => void) | undefined;

  constructor(onChange?: () => void) {
    this.onChange = onChange;
  }

  /** Adds a listener; the returned disposer removes it. */
  subscribe(listener: Listener<T>): Disposable {
    this.listeners = [...this.listeners, listener];
    this.active = true;
    this.onChange?.();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.listeners = this.listeners.filter((l) => l !== listener);
        this.active = this.listeners.length > 0;
        this.onChange?.();
      },
    };
  }

  /** Calls every listener with `event`; errors thrown by listeners are reported as process warnings. */
  emit(event: T): void {
    const listeners = this.listeners;
    if (listeners.length === 1) {
      try {
        listeners[0]!(event);
      } catch (error) {
        reportListenerError(error);
      }
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}
