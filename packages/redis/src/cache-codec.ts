// Encodes a cache record as one binary value (a JSON head plus the raw bodies) and decodes it safely.

import type { CacheRecord, StoredResponse } from '@breakwater/core';

/** Format marker: the first byte of every encoded record. */
const VERSION = 1;

interface VariantHead {
  readonly status: number;
  readonly headers: Record<string, string | readonly string[]>;
  readonly storedAt: number;
  readonly serveLimit: number;
  readonly vary: readonly string[];
  readonly variant: string;
  readonly bodyLength: number;
}

/** Encodes `record`: version byte, 4-byte head length, JSON head, then the bodies back to back. */
export function encodeCacheRecord(record: CacheRecord): Buffer {
  const heads: VariantHead[] = record.variants.map((v) => ({
    status: v.status,
    headers: v.headers as Record<string, string | readonly string[]>,
    storedAt: v.storedAt,
    serveLimit: v.serveLimit,
    vary: v.vary,
    variant: v.variant,
    bodyLength: v.body.byteLength,
  }));
  const head = Buffer.from(JSON.stringify(heads), 'utf8');
  const prefix = Buffer.alloc(5);
  prefix[0] = VERSION;
  prefix.writeUInt32BE(head.length, 1);
  return Buffer.concat([prefix, head, ...record.variants.map((v) => v.body)]);
}

/** A header name as HTTP allows it (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value Node would write: no CR, LF, NUL or other control characters, nothing past U+00FF. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether `value` is a header map a response can be written with (a forged one must not 500). */
function isHeaders(value: unknown): value is Record<string, string | string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const [name, item] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) return false;
    if (typeof item === 'string') {
      if (!HEADER_VALUE.test(item)) return false;
      continue;
    }
    if (!Array.isArray(item) || !item.every((x) => typeof x === 'string' && HEADER_VALUE.test(x)))
      return false;
  }
  return true;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Decodes a value made by {@link encodeCacheRecord}; anything else, including a header name or value
 * that HTTP forbids (CR/LF injection), yields `undefined`, never a throw.
 */
export function decodeCacheRecord(value: Uint8Array | null | undefined): CacheRecord | undefined {
  if (value === null || value === undefined || value.byteLength < 5 || value[0] !== VERSION)
    return undefined;
  const buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const headLength = buffer.readUInt32BE(1);
  if (5 + headLength > buffer.length) return undefined;
  let heads: unknown;
  try {
    heads = JSON.parse(buffer.toString('utf8', 5, 5 + headLength));
  } catch {
    return undefined;
  }
  if (!Array.isArray(heads)) return undefined;
  const variants: StoredResponse[] = [];
  let offset = 5 + headLength;
  for (const head of heads as Partial<VariantHead>[]) {
    if (typeof head !== 'object' || head === null) return undefined;
    const { status, headers, storedAt, serveLimit, vary, variant, bodyLength } = head;
    if (!Number.isInteger(status) || status! < 100 || status! > 599) return undefined;
    if (!isHeaders(headers) || !isCount(storedAt) || !isCount(serveLimit)) return undefined;
    if (!Array.isArray(vary) || !vary.every((x) => typeof x === 'string')) return undefined;
    if (typeof variant !== 'string' || !Number.isInteger(bodyLength) || bodyLength! < 0)
      return undefined;
    if (offset + bodyLength! > buffer.length) return undefined;
    const body = new Uint8Array(bodyLength!);
    body.set(buffer.subarray(offset, offset + bodyLength!));
    offset += bodyLength!;
    variants.push({ status: status!, headers, storedAt, serveLimit, vary, variant, body });
  }
  if (offset !== buffer.length) return undefined;
  return { variants };
}
