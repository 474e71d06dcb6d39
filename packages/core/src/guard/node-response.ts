// What core knows of Node's own response objects: their `writeHead`s, and where they keep headers.

import { OutgoingMessage, ServerResponse } from 'node:http';
import { Http2ServerResponse } from 'node:http2';

/** Node's own HTTP/1 `writeHead`: a response whose `writeHead` is this one has no hook on it. */
export const NODE_WRITE_HEAD: unknown = ServerResponse.prototype.writeHead;
/** The HTTP/2 compatibility API's own `writeHead`. */
export const NODE_WRITE_HEAD_2: unknown = Http2ServerResponse.prototype.writeHead;

/**
 * The symbol under which an HTTP/1 response keeps the headers set so far (`null` before the first,
 * then `[name, value]` entries keyed by lower-case name), found once by setting a header on a probe
 * and looking for it; `undefined` when this Node keeps them some other way.
 */
const HEADER_MAP: symbol | undefined = findHeaderMap();

function findHeaderMap(): symbol | undefined {
  const probe = new OutgoingMessage();
  probe.setHeader('X-Breakwater-Probe', 'found');
  for (const key of Object.getOwnPropertySymbols(probe)) {
    const map: unknown = (probe as unknown as Record<symbol, unknown>)[key];
    if (typeof map !== 'object' || map === null) continue;
    const entry: unknown = (map as Record<string, unknown>)['x-breakwater-probe'];
    if (Array.isArray(entry) && entry[0] === 'X-Breakwater-Probe' && entry[1] === 'found') {
      return key;
    }
  }
  return undefined;
}

/** The part of a response {@link headerOf} reads. */
export interface HeaderSource {
  getHeader(name: string): unknown;
}

/**
 * What `res.getHeader(lower)` returns, for a name already in lower case. Node's `getHeader`
 * lower-cases the name again (a copy per call, most of a head stamp's cost on Koa and Express, which
 * set their headers before the head), so the header map is read directly where the probe found it;
 * elsewhere (HTTP/2, a response of another kind) `getHeader` answers.
 */
export function headerOf(res: HeaderSource, lower: string): unknown {
  if (HEADER_MAP !== undefined) {
    const map = (res as unknown as Record<symbol, Record<string, [string, unknown]> | null>)[
      HEADER_MAP
    ];
    if (map === null) return undefined;
    if (map !== undefined) return map[lower]?.[1];
  }
  return res.getHeader(lower);
}
