// keyedBreakerName(): `<family>:<key>`, shortened with a SHA-256 digest when too long or taken.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyedBreakerName, MAX_BREAKER_NAME_LENGTH } from './keyed-breaker-name.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('keyedBreakerName', () => {
  it('is <family>:<key> while that fits, whatever the characters', () => {
    expect(keyedBreakerName('tenant', 'acme')).toBe('tenant:acme');
    expect(keyedBreakerName('t', 'a:b/c?d\n{e}')).toBe('t:a:b/c?d\n{e}');
    const longest = 'k'.repeat(MAX_BREAKER_NAME_LENGTH - 2);
    expect(keyedBreakerName('t', longest)).toBe(`t:${longest}`);
  });

  it('shortens a longer name to 512 characters: a prefix, ~, and 16 hex of its SHA-256', () => {
    const key = 'x'.repeat(600);
    const name = keyedBreakerName('tenant', key);
    expect(name).toHaveLength(MAX_BREAKER_NAME_LENGTH);
    expect(name.endsWith(`~${sha(`tenant:${key}`)}`)).toBe(true);
    expect(name.startsWith('tenant:xxx')).toBe(true);
  });

  it('keeps two long keys with the same prefix apart, and is stable', () => {
    const a = keyedBreakerName('t', `${'p'.repeat(600)}a`);
    const b = keyedBreakerName('t', `${'p'.repeat(600)}b`);
    expect(a).not.toBe(b);
    expect(keyedBreakerName('t', `${'p'.repeat(600)}a`)).toBe(a);
  });

  it('gives each later attempt a different digest, also for short names', () => {
    const names = [0, 1, 2, 3].map((attempt) => keyedBreakerName('api', 'x', attempt));
    expect(new Set(names).size).toBe(4);
    expect(names[1]).toBe(`api:x~${sha('api:x\n1')}`);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const name = keyedBreakerName('t', '😀'.repeat(400));
    const prefix = name.slice(0, name.lastIndexOf('~'));
    expect(prefix).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
    expect(name.length).toBeLessThanOrEqual(MAX_BREAKER_NAME_LENGTH);
  });
});
