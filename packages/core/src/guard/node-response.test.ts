import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { headerOf } from './node-response.js';

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('headerOf', () => {
  it('answers as getHeader does, through sets, lists and removals', () => {
    const res = response();
    const names = ['x-circuit-breaker-state', 'access-control-expose-headers', 'set-cookie'];
    const same = (): void => {
      for (const name of names) expect(headerOf(res, name)).toEqual(res.getHeader(name));
    };
    same();
    res.setHeader('X-Circuit-Breaker-State', 'open');
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    same();
    expect(headerOf(res, 'access-control-expose-headers')).toBe('X-Request-Id');
    expect(headerOf(res, 'set-cookie')).toEqual(['a=1', 'b=2']);
    res.removeHeader('x-circuit-breaker-state');
    same();
    expect(headerOf(res, 'x-circuit-breaker-state')).toBeUndefined();
  });

  it('reads a Node response without calling getHeader (which lower-cases the name again)', () => {
    const res = response();
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    const getHeader = vi.spyOn(res, 'getHeader');
    expect(headerOf(res, 'access-control-expose-headers')).toBe('X-Request-Id');
    expect(headerOf(response(), 'access-control-expose-headers')).toBeUndefined();
    expect(getHeader).not.toHaveBeenCalled();
  });

  it('asks getHeader on a response that keeps its headers some other way', () => {
    const other = { getHeader: vi.fn((name: string) => (name === 'x-a' ? 'b' : undefined)) };
    expect(headerOf(other, 'x-a')).toBe('b');
    expect(headerOf(other, 'x-b')).toBeUndefined();
    expect(other.getHeader).toHaveBeenCalledTimes(2);
  });
});
