// Reports the headers a Node response actually sends, including those only passed to writeHead.

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Header names (lower case) and values, as sent on the wire (a list joined by `, `). */
export type SentHeaders = Record<string, string>;

function flatten(headers: OutgoingHttpHeaders, into: SentHeaders): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    into[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/**
 * Calls `report` once with the head of `res` when it is written. Node keeps headers given to
 * `writeHead` (as Fastify writes them) out of `getHeaders()`, so `writeHead` is watched too.
 */
export function watchSentHeaders(
  res: ServerResponse,
  report: (headers: SentHeaders) => void,
): void {
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  let reported = false;
  const send = (given: unknown): void => {
    if (reported) return;
    reported = true;
    const headers: SentHeaders = {};
    flatten(res.getHeaders(), headers);
    if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
      flatten(given as OutgoingHttpHeaders, headers);
    }
    report(headers);
  };
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    send(args.find((arg) => typeof arg === 'object' && arg !== null));
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
  // A response that never calls writeHead writes its head on the first write or end.
  res.on('finish', () => send(undefined));
}
