// Unit tests for the scope table: server-declared scopes that nest and overlap, option keys, probes and the LRU bound.
import { describe, expect, it } from 'vitest';
import { ScopeTable, type CallFacts, type ScopeTarget, type Verdict } from './scope-table.js';
import { parseScopeHeader } from './server-scope.js';

const ORIGIN = 'http://api.test';
const OPEN: Verdict = { kind: 'open', delayMs: 10_000 };
const PASS: Verdict = { kind: 'pass' };

function call(method: string, pathname: string, origin = ORIGIN): CallFacts {
  return { key: origin, origin, method, pathname };
}

function declared(header: string, origin = ORIGIN): ScopeTarget {
  const pattern = parseScopeHeader(header)!;
  return { origin, pattern, label: `${origin} ${header}`, wire: pattern.wire };
}

/** Opens `target` at `now` through a call admitted elsewhere (so it owns no probe of it). */
function open(table: ScopeTable, target: ScopeTarget, now: number, verdict: Verdict = OPEN): void {
  const admission = table.admit(call('GET', '/', 'http://elsewhere.test'), now);
  if (!admission.admitted) throw new Error('expected an admission');
  table.settle(admission.ticket, verdict, now, target);
}

describe('ScopeTable with server-declared scopes', () => {
  it('refuses only calls inside an open route scope', () => {
    const table = new ScopeTable(100, 30_000, {});
    open(table, declared('GET,HEAD /users/:id'), 0);
    expect(table.admit(call('GET', '/users/1'), 1).admitted).toBe(false);
    expect(table.admit(call('HEAD', '/users/2'), 1).admitted).toBe(false);
    expect(table.admit(call('POST', '/users/1'), 1).admitted).toBe(true);
    expect(table.admit(call('GET', '/orders/1'), 1).admitted).toBe(true);
    expect(table.admit(call('GET', '/users/1', 'http://other.test'), 1).admitted).toBe(true);
  });

  it('lets an open app-level scope cover every route, and tells the longest remaining wait', () => {
    const table = new ScopeTable(100, 30_000, {});
    open(table, declared('GET,HEAD /users/:id'), 0, { kind: 'open', delayMs: 20_000 });
    open(table, declared('* /*'), 0, { kind: 'open', delayMs: 5_000 });
    const users = table.admit(call('GET', '/users/1'), 1000);
    expect(users).toMatchObject({
      admitted: false,
      retryAfterMs: 19_000,
      label: `${ORIGIN} GET,HEAD /users/:id`,
    });
    expect(table.admit(call('DELETE', '/x'), 1000)).toMatchObject({
      admitted: false,
      retryAfterMs: 4000,
      wire: { methods: '*', path: '/*' },
    });
    // Once the app-level scope's time has come, other routes probe it; the open route still refuses.
    expect(table.admit(call('GET', '/users/1'), 6000).admitted).toBe(false);
    expect(table.admit(call('GET', '/orders'), 6000).admitted).toBe(true);
  });

  it('keeps two open route scopes as two, each closed by its own probe', () => {
    const closed: string[] = [];
    const table = new ScopeTable(100, 30_000, { onClose: (e) => closed.push(e.scope) });
    open(table, declared('GET,HEAD /users/:id'), 0);
    open(table, declared('GET,HEAD /orders/:id'), 0);
    expect(table.size).toBe(2);
    open(table, declared('GET,HEAD /users/:id'), 0); // the same scope again is still one
    expect(table.size).toBe(2);

    const probe = table.admit(call('GET', '/users/1'), 10_000);
    expect(probe.admitted).toBe(true);
    expect(table.admit(call('GET', '/users/2'), 10_001)).toMatchObject({
      admitted: false,
      state: 'half-open',
    });
    if (probe.admitted) table.settle(probe.ticket, PASS, 10_002);
    expect(closed).toEqual([`${ORIGIN} GET,HEAD /users/:id`]);
    expect(table.admit(call('GET', '/users/2'), 10_003).admitted).toBe(true);
    expect(table.snapshot(call('GET', '/orders/9'), 10_003)).toMatchObject({ state: 'half-open' });
  });

  it('frees the probe slot of a scope whose call was refused by another scope, without closing it', () => {
    const table = new ScopeTable(100, 30_000, {});
    open(table, declared('* /*'), 0);
    const probe = table.admit(call('GET', '/users/1'), 10_000);
    if (!probe.admitted) throw new Error('expected a probe');
    // The app-level breaker let it through; a route breaker refused it.
    table.settle(probe.ticket, OPEN, 10_000, declared('GET,HEAD /users/:id'));
    expect(table.size).toBe(2);
    expect(table.snapshot(call('GET', '/orders'), 10_000)).toMatchObject({
      state: 'half-open',
      probing: false,
    });
    expect(table.admit(call('GET', '/users/1'), 10_001).admitted).toBe(false);
    expect(table.admit(call('GET', '/orders'), 10_001).admitted).toBe(true);
  });

  it('probes every scope a call falls in at once, and a good answer closes them all', () => {
    const table = new ScopeTable(100, 30_000, {});
    open(table, declared('* /*'), 0);
    open(table, declared('GET,HEAD /users/:id'), 0);
    const probe = table.admit(call('GET', '/users/1'), 10_000);
    if (!probe.admitted) throw new Error('expected a probe');
    expect(probe.ticket.probes).toHaveLength(2);
    table.settle(probe.ticket, PASS, 10_001);
    expect(table.size).toBe(0);
  });

  it('stays within maxScopes and forgets evicted scopes for matching too', () => {
    const table = new ScopeTable(3, 30_000, {});
    for (let i = 0; i < 10; i += 1) open(table, declared(`GET /r${i}`), 0);
    expect(table.size).toBe(3);
    expect(table.admit(call('GET', '/r0'), 1).admitted).toBe(true);
    expect(table.admit(call('GET', '/r9'), 1).admitted).toBe(false);
  });

  it('keeps a scope-option key and a declared scope apart', () => {
    const table = new ScopeTable(100, 30_000, {});
    open(table, { key: ORIGIN, label: ORIGIN, wire: undefined }, 0);
    open(table, declared('* /*'), 0);
    expect(table.size).toBe(2);
    table.clear();
    expect(table.admit(call('GET', '/'), 1).admitted).toBe(true);
  });
});
