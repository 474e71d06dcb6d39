// Short-circuit marks: kept for responses a breaker's writeHead hook watches, skipped for the rest.

import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isShortCircuit, markShortCircuit } from './short-circuit.js';

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('markShortCircuit', () => {
  it('marks a response whose writeHead an outer guard hooked', () => {
    const res = response();
    const nodeWriteHead = res.writeHead;
    res.writeHead = function hooked(this: ServerResponse, ...args: unknown[]) {
      return (nodeWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    markShortCircuit(res);
    expect(isShortCircuit(res)).toBe(true);
  });

  it('marks a response whose prototype hooks writeHead (an Express app response)', () => {
    const proto = Object.create(ServerResponse.prototype) as ServerResponse;
    proto.writeHead = function hooked(this: ServerResponse, ...args: unknown[]) {
      return ServerResponse.prototype.writeHead.apply(this, args as never);
    } as ServerResponse['writeHead'];
    const res = Object.setPrototypeOf(response(), proto) as ServerResponse;
    markShortCircuit(res);
    expect(isShortCircuit(res)).toBe(true);
  });

  it("adds nothing for a response nobody watches (its writeHead is still Node's)", () => {
    const res = response();
    markShortCircuit(res);
    expect(isShortCircuit(res)).toBe(false);
  });
});
