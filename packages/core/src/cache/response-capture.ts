// Accumulates the body of one storable response, giving up past maxBodyBytes; never alters what is sent.

import type { MaybePromise } from './cache-store.js';

/** What a capture hands back to its cache when the body is complete. */
export interface CaptureSink {
  /** Stores the finished body; resolves to whether it was stored. */
  commit(body: Buffer): MaybePromise<boolean>;
  /** Reports a capture that gave up (`detail` says why). */
  abandoned(detail: string): void;
}

/** A body chunk as `res.write` takes it. */
export type BodyChunk = string | Uint8Array;

/**
 * Collects the body of one response while it is sent, for the fallback cache. Feed it the same
 * chunks the client gets ({@link ResponseCapture.write}), then {@link ResponseCapture.end}. It
 * keeps references to the chunks (copying them once, at the end) and drops them all as soon as
 * the body grows past the limit or does not match its `Content-Length`. It never throws and
 * never touches the response itself.
 */
export class ResponseCapture {
  private chunks: Uint8Array[] | undefined = [];
  private bytes = 0;
  private readonly limit: number;
  private readonly declaredLength: number | undefined;
  private readonly sink: CaptureSink;

  /** @internal Created by `ResponseCache.capture`. */
  constructor(sink: CaptureSink, limit: number, declaredLength: number | undefined) {
    this.sink = sink;
    this.limit = limit;
    this.declaredLength = declaredLength;
  }

  /** Whether the capture is still collecting (false once it ended or gave up). */
  get active(): boolean {
    return this.chunks !== undefined;
  }

  /** Bytes collected so far. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Adds a chunk as the client gets it (`encoding` as given to `res.write`, default utf8).
   * Returns `false` once the capture has given up, so a caller may stop feeding it.
   */
  write(chunk: BodyChunk | null | undefined, encoding?: BufferEncoding): boolean {
    const chunks = this.chunks;
    if (chunks === undefined) return false;
    if (chunk === null || chunk === undefined) return true;
    let bytes: Uint8Array;
    if (typeof chunk === 'string') {
      const length = Buffer.byteLength(chunk, encoding ?? 'utf8');
      if (this.bytes + length > this.limit) return this.giveUp('too-large');
      bytes = Buffer.from(chunk, encoding ?? 'utf8');
    } else if (chunk instanceof Uint8Array) {
      bytes = chunk;
    } else {
      return this.giveUp('unsupported-body');
    }
    if (bytes.byteLength === 0) return true;
    this.bytes += bytes.byteLength;
    if (this.bytes > this.limit) return this.giveUp('too-large');
    chunks.push(bytes);
    return true;
  }

  /**
   * Adds the last chunk, if any, and stores the response. Resolves (or returns, with a synchronous
   * store) `true` when it was stored. Calling it again, or after giving up, returns `false`.
   */
  end(chunk?: BodyChunk | null, encoding?: BufferEncoding): MaybePromise<boolean> {
    if (!this.write(chunk, encoding)) return false;
    const chunks = this.chunks!;
    this.chunks = undefined;
    if (this.declaredLength !== undefined && this.declaredLength !== this.bytes) {
      this.sink.abandoned('incomplete');
      return false;
    }
    const body = Buffer.concat(chunks, this.bytes);
    return this.sink.commit(body);
  }

  /** Gives up without storing, e.g. when the client went away or the handler failed midway. */
  abandon(detail = 'aborted'): void {
    if (this.chunks !== undefined) this.giveUp(detail);
  }

  private giveUp(detail: string): false {
    this.chunks = undefined;
    this.bytes = 0;
    this.sink.abandoned(detail);
    return false;
  }
}
