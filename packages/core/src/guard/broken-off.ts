// Tells why a response closed before it finished: the client went away, or the server broke it off.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Socket errors that mean the peer (the client) closed or reset the connection. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Whether a response that closed before `finish` was broken off by the server (a body stream that
 * errored mid-way, a destroyed socket) rather than abandoned by the client. The client is taken to
 * have gone when its side of the connection ended (FIN) or reset; otherwise the server cut it off.
 */
export function brokenOffByServer(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket as (typeof req.socket & { errored?: unknown }) | null | undefined;
  if (socket === null || socket === undefined) return res.errored != null;
  if (socket.readableEnded) return false;
  const code = (socket.errored as { code?: unknown } | null | undefined)?.code;
  return !(typeof code === 'string' && PEER_GONE.has(code));
}
