// The RFC 9457 problem+json answers of the admin API, and its JSON answers.

import type { ServerResponse } from 'node:http';

/** The `type` URI of an admin API problem; the suffix tells which (e.g. `unknown-breaker`). */
export const ADMIN_PROBLEM_TYPE = 'urn:breakwater:problem:admin';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  500: 'Internal Server Error',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

/** An admin API answer that is not a success: status, problem kind and a sentence naming the cause. */
export class AdminProblem extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

/** Writes `body` as JSON with `status`, never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(head ? undefined : text);
}

/** Writes `problem` as `application/problem+json`. */
export function sendProblem(res: ServerResponse, problem: AdminProblem): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify({
    type: `${ADMIN_PROBLEM_TYPE}:${problem.kind}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.message,
  });
  res.writeHead(problem.status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(text)),
    ...problem.headers,
  });
  res.end(text);
}
