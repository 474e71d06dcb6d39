// The registry name of a keyed breaker: `<family>:<key>`, shortened with a digest when too long or taken.

import { createHash } from 'node:crypto';

/** The longest breaker name (the `name` option's limit). */
export const MAX_BREAKER_NAME_LENGTH = 512;
/** Hex characters of the SHA-256 digest a shortened name ends with. */
const DIGEST_CHARS = 16;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, DIGEST_CHARS);
}

/** `text` cut to at most `length` UTF-16 units, never between the halves of a surrogate pair. */
function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/**
 * The name of the breaker for `key` in the keyed family `family`. Attempt 0 is `<family>:<key>`
 * when that fits in {@link MAX_BREAKER_NAME_LENGTH} (512) characters; otherwise, and for every
 * later attempt (used when the name is already taken in the registry), the name is shortened:
 * the first 495 characters of `<family>:<key>`, then `~`, then 16 hex characters of the SHA-256
 * of `<family>:<key>` (from attempt 1 on, of `<family>:<key>\n<attempt>`). Attempt 0 is stable
 * across processes, so replicas sharing a store agree on it.
 *
 * @example
 * keyedBreakerName('tenant', 'acme'); // 'tenant:acme'
 * keyedBreakerName('tenant', 'x'.repeat(600)); // 'tenant:xxx…x~3f9a0c2e1b7d4a66' (512 characters)
 */
export function keyedBreakerName(family: string, key: string, attempt = 0): string {
  const full = `${family}:${key}`;
  if (attempt === 0 && full.length <= MAX_BREAKER_NAME_LENGTH) return full;
  const salted = attempt === 0 ? full : `${full}\n${attempt}`;
  return `${cut(full, MAX_BREAKER_NAME_LENGTH - DIGEST_CHARS - 1)}~${digest(salted)}`;
}
