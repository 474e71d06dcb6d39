// A small HTTP client for the suite over node:http and node:http2: plain requests, and requests the test can abort.

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, constants } from 'node:http2';

/** A finished response. */
export interface Result {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body bytes as received. */
  readonly bytes: Buffer;
}

/** Options of one request. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** A request under way. */
export interface Started {
  /** Settles with the whole response, or rejects when aborted. */
  readonly response: Promise<Result>;
  /** Leaves: an HTTP/1.1 disconnect, or an HTTP/2 stream cancelled with RST_STREAM (CANCEL). */
  abort(): void;
  /** Leaves as soon as the first body bytes arrive. */
  abortOnFirstBytes(): void;
}

/** Marks an HTTP/2 (cleartext) server: fixtures on HTTP/2 hand out `h2c://127.0.0.1:<port>`. */
export const H2C = 'h2c://';

function startH1(base: string, path: string, options: RequestOptions): Started {
  let leaveOnData = false;
  let abort!: () => void;
  const response = new Promise<Result>((resolve, reject) => {
    const request = httpRequest(
      `${base}${path}`,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (leaveOnData) request.destroy();
        });
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes.toString(),
            bytes,
          });
        });
        res.on('error', reject);
      },
    );
    abort = () => request.destroy();
    request.on('error', reject);
    request.end();
  });
  response.catch(() => {}); // aborted requests are expected to fail
  return { response, abort: () => abort(), abortOnFirstBytes: () => (leaveOnData = true) };
}

function startH2(base: string, path: string, options: RequestOptions): Started {
  const session = connect(`http://${base.slice(H2C.length)}`);
  session.on('error', () => {});
  const stream = session.request({
    ':method': options.method ?? 'GET',
    ':path': path,
    ...options.headers,
  });
  let leaveOnData = false;
  const cancel = (): void => {
    stream.close(constants.NGHTTP2_CANCEL);
    session.close();
  };
  const response = new Promise<Result>((resolve, reject) => {
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    stream.on('response', (head) => {
      status = Number(head[':status']);
      headers = Object.fromEntries(
        Object.entries(head).filter(([name]) => !name.startsWith(':')),
      ) as IncomingHttpHeaders;
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (leaveOnData) cancel();
    });
    stream.on('end', () => {
      session.close();
      const bytes = Buffer.concat(chunks);
      resolve({ status, headers, body: bytes.toString(), bytes });
    });
    stream.on('error', (error) => {
      session.close();
      reject(error);
    });
    stream.on('close', () => {
      if (stream.rstCode !== constants.NGHTTP2_NO_ERROR) reject(new Error('stream closed'));
    });
  });
  stream.end();
  response.catch(() => {});
  return { response, abort: cancel, abortOnFirstBytes: () => (leaveOnData = true) };
}

/** Starts a request over HTTP/1.1, or over HTTP/2 for an `h2c://` base. */
export function start(base: string, path: string, options: RequestOptions = {}): Started {
  return base.startsWith(H2C) ? startH2(base, path, options) : startH1(base, path, options);
}

/** Sends one request and waits for the whole response. */
export function send(base: string, path: string, options?: RequestOptions): Promise<Result> {
  return start(base, path, options).response;
}
