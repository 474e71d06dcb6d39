// A route whose handler answers with enormous or malformed Vary, Cache-Control and Retry-After headers, guarded with the cache on.

import type { BreakerRegistry } from '@breakwater/core';
import type { Fixture, RunningApp } from '../conformance/fixtures/index.js';
import { fetchRaw, type Raw } from './load.js';

/** Header sets the handler answers with, by the request's `x-kind`. */
export const HOSTILE_HEADERS: Readonly<Record<string, Record<string, string>>> = {
  vary: { vary: `${'x-a, '.repeat(2000)}*, ,,, \u00ff`, 'cache-control': 'max-age=60' },
  'vary-many': {
    vary: Array.from({ length: 3000 }, (_, i) => `x-h${i}`).join(','),
    'cache-control': 'public, max-age=60',
  },
  'cache-control': {
    'cache-control': `max-age=${'9'.repeat(5000)}, s-maxage="${'"'.repeat(100)}, no-cache="a,b`,
  },
  'cache-control-junk': { 'cache-control': '=,=,;;"\\' + ',private='.repeat(1000) },
  'retry-after': { 'retry-after': '99999999999999999999999999' },
  'retry-after-date': { 'retry-after': 'Tue, 99 Foo 20x1 25:61:61 GMT' },
  'retry-after-negative': { 'retry-after': '-5', 'x-circuit-breaker-state': 'bogus' },
};

/** The body every hostile answer carries. */
export const HOSTILE_BODY = 'x'.repeat(1000);

/** Starts the app: `/h` answers with the hostile headers, `/fail` with a 500 (two of them open the breaker `hostile`). */
export function hostileHeadersApp(
  fixture: Fixture,
  registry: BreakerRegistry,
): Promise<RunningApp> {
  return fixture.createApp({
    options: { registry, name: 'hostile', failureThreshold: 2, openDuration: 60_000, cache: true },
    routes: [
      {
        method: 'GET',
        path: '/h',
        handler: (request) => ({
          status: 200,
          headers: HOSTILE_HEADERS[String(request.headers['x-kind'])] ?? {},
          body: HOSTILE_BODY,
        }),
      },
      { method: 'GET', path: '/fail', handler: () => ({ status: 500, body: 'fail' }) },
    ],
  });
}

/** Asks `/h` for one kind, with a 4 kB header the `vary` kind names. */
export function getHostile(app: RunningApp, kind: string): Promise<Raw> {
  return fetchRaw(`${app.url}/h`, { 'x-kind': kind, 'x-a': 'y'.repeat(4000) });
}
