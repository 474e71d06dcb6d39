// Tells why a response closed before it finished: the client went away, or the server broke it off.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Socket errors that mean the peer (the client) closed or reset the connection. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The HTTP/2 stream behind a compatibility-API response (`Http2ServerResponse.stream`). */
interface Http2StreamLike {
  readonly errored?: unknown;
  readonly rstCode?: number;
}

/** RST_STREAM's CANCEL (RFC 9113 §7): what a client sends when it gives up on a stream or session. */
const NGHTTP2_CANCEL = 8;

/**
 * Whether a response that closed before `finish` was broken off by the server (a body stream that
 * errored mid-way, a destroyed socket or stream) rather than abandoned by the client.
 * - HTTP/2: the client cancelled when the stream was reset with CANCEL and no error of ours;
 *   a stream the server destroyed carries its error, or closed with another code.
 * - HTTP/1.1: the client is taken to have gone when its side of the connection ended (FIN) or
 *   reset; otherwise the server cut it off.
 */
export function brokenOffByServer(req: IncomingMessage, res: ServerResponse): boolean {
  const stream = (res as { stream?: Http2StreamLike }).stream;
  if (stream !== undefined && stream !== null) {
    return stream.errored != null || stream.rstCode !== NGHTTP2_CANCEL;
  }
  const socket = req.socket as (typeof req.socket & { errored?: unknown }) | null | undefined;
  if (socket === null || socket === undefined) return res.errored != null;
  if (socket.readableEnded) return false;
  const code = (socket.errored as { code?: unknown } | null | undefined)?.code;
  return !(typeof code === 'string' && PEER_GONE.has(code));
}
