// parseAdminRoute(): the admin request a path makes, wherever the API is mounted.
import { describe, expect, it } from 'vitest';
import { parseAdminRoute } from './admin-route.js';

describe('parseAdminRoute()', () => {
  it('reads actions, single breakers and the list from the tail of the path', () => {
    expect(parseAdminRoute('/ops/breakwater/breakers/GET%20%2Fusers%2F%3Aid/force-open')).toEqual({
      kind: 'action',
      target: 'GET /users/:id',
      action: 'force-open',
    });
    expect(parseAdminRoute('/breakers/orders?x=1')).toEqual({ kind: 'one', target: 'orders' });
    expect(parseAdminRoute('/ops/breakwater/')).toEqual({ kind: 'list' });
    expect(parseAdminRoute('/breakers/')).toEqual({ kind: 'list' });
    expect(parseAdminRoute(undefined)).toEqual({ kind: 'list' });
  });

  it('throws a URIError for a name that is not valid URI encoding', () => {
    expect(() => parseAdminRoute('/breakers/%E0%A4%A/reset')).toThrow(URIError);
  });
});
