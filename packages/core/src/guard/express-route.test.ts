import { describe, expect, it } from 'vitest';
import { expressRouteName, expressRoutePath } from './express-route.js';

describe('expressRouteName', () => {
  it('names a request by its route, per method and mount path, and nothing outside a route', () => {
    const route = { path: '/users/:id' };
    expect(expressRouteName({ method: 'GET', baseUrl: '/api', route })).toBe('GET /api/users/:id');
    // the same route object reached by another method, or a router mounted twice
    expect(expressRouteName({ method: 'POST', baseUrl: '/api', route })).toBe(
      'POST /api/users/:id',
    );
    expect(expressRouteName({ method: 'POST', baseUrl: '/v2', route })).toBe('POST /v2/users/:id');
    expect(expressRouteName({ method: 'HEAD', baseUrl: '/v2', route })).toBe('GET /v2/users/:id');
    expect(expressRouteName({ method: 'GET', baseUrl: '' })).toBeUndefined();
    expect(expressRouteName({ method: 'GET', route: { path: /^\/re/ } })).toBeUndefined();
    expect(expressRoutePath({ method: 'GET', route })).toBe('/users/:id');
  });
});
