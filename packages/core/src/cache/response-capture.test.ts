// Behaviour of body capture: exact bytes, giving up past the limit or on a short body.
import { describe, expect, it } from 'vitest';
import { ResponseCapture, type CaptureSink } from './response-capture.js';

function sink() {
  const events: string[] = [];
  let stored: Buffer | undefined;
  const s: CaptureSink = {
    commit: (body) => {
      stored = body;
      return true;
    },
    abandoned: (detail) => void events.push(detail),
  };
  return { s, events, stored: () => stored };
}

describe('ResponseCapture', () => {
  it('collects string and byte chunks exactly, honouring the string encoding', () => {
    const { s, stored } = sink();
    const capture = new ResponseCapture(s, 1000, undefined);
    expect(capture.write('héllo ')).toBe(true);
    expect(capture.write('776f726c64', 'hex')).toBe(true);
    expect(capture.write(new Uint8Array([33]))).toBe(true);
    expect(capture.end()).toBe(true);
    expect(stored()!.toString('utf8')).toBe('héllo world!');
    expect(capture.active).toBe(false);
    expect(capture.end('more')).toBe(false);
  });

  it('gives up past the limit and drops what it held', () => {
    const { s, events, stored } = sink();
    const capture = new ResponseCapture(s, 10, undefined);
    expect(capture.write(Buffer.alloc(6))).toBe(true);
    expect(capture.write('12345')).toBe(false);
    expect(capture.size).toBe(0);
    expect(capture.write('x')).toBe(false);
    expect(capture.end()).toBe(false);
    expect(events).toEqual(['too-large']);
    expect(stored()).toBeUndefined();
  });

  it('stores a body exactly at the limit', () => {
    const { s, stored } = sink();
    const capture = new ResponseCapture(s, 4, undefined);
    expect(capture.end(Buffer.from('abcd'))).toBe(true);
    expect(stored()!.toString()).toBe('abcd');
  });

  it('refuses a body shorter or longer than its Content-Length', () => {
    const short = sink();
    expect(new ResponseCapture(short.s, 100, 10).end('12345')).toBe(false);
    expect(short.events).toEqual(['incomplete']);
    const long = sink();
    expect(new ResponseCapture(long.s, 100, 2).end('12345')).toBe(false);
    expect(long.events).toEqual(['incomplete']);
  });

  it('gives up on an unsupported chunk and on abandon', () => {
    const odd = sink();
    const capture = new ResponseCapture(odd.s, 100, undefined);
    expect(capture.write({} as never)).toBe(false);
    expect(odd.events).toEqual(['unsupported-body']);
    const aborted = sink();
    const second = new ResponseCapture(aborted.s, 100, undefined);
    second.write('abc');
    second.abandon();
    second.abandon();
    expect(aborted.events).toEqual(['aborted']);
    expect(second.end()).toBe(false);
  });
});
