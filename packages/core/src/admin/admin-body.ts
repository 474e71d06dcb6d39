// Reads the JSON body of an admin request: bounded, parsed once, a plain object or a problem.

import type { IncomingMessage } from 'node:http';
import { AdminProblem } from './admin-problem.js';

/** The text of `req`'s body, at most `limit` bytes; a larger body is a `413` problem. */
function readText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume(); // drain the rest; the answer goes out now
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number): AdminProblem {
  return new AdminProblem(413, 'body-too-large', `The request body is larger than ${limit} bytes.`);
}

/**
 * The request's options object: `parsed` when a framework already read the body (an object a
 * body-parser made, or the raw text), else read from `req`. An empty body is `{}`; anything but a JSON object is a
 * `400` problem naming what was wrong.
 */
export async function readOptionsBody(
  req: IncomingMessage,
  limit: number,
  parsed: unknown,
): Promise<Record<string, unknown>> {
  let value: unknown = parsed;
  let text: string | undefined;
  if (typeof parsed === 'string') {
    if (Buffer.byteLength(parsed) > limit) throw tooLarge(limit);
    text = parsed;
  } else if (parsed === undefined && !req.readableEnded) {
    text = await readText(req, limit);
  } else if (parsed !== undefined && JSON.stringify(parsed).length > limit) {
    throw tooLarge(limit);
  }
  if (text !== undefined) {
    if (text.trim() === '') return {};
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AdminProblem(
        400,
        'bad-json',
        `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  }
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdminProblem(
      400,
      'bad-body',
      `The request body must be a JSON object of options; received ${JSON.stringify(value)}.`,
    );
  }
  return value as Record<string, unknown>;
}
