// A small HTTP client over node:http for the suite: plain requests, and requests the test can abort.

import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';

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

/** Starts a request; `response` settles with the whole response, or rejects when aborted. */
export function start(
  base: string,
  path: string,
  options: RequestOptions = {},
): { request: ClientRequest; response: Promise<Result> } {
  let request!: ClientRequest;
  const response = new Promise<Result>((resolve, reject) => {
    request = httpRequest(
      `${base}${path}`,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes.toString('utf8'),
            bytes,
          });
        });
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
  response.catch(() => {}); // aborted requests are expected to fail
  return { request, response };
}

/** Sends one request and waits for the whole response. */
export function send(base: string, path: string, options?: RequestOptions): Promise<Result> {
  return start(base, path, options).response;
}
