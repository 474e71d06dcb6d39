// envName(): how a breaker name appears inside an environment variable.
import { describe, expect, it } from 'vitest';
import { envName } from './env-names.js';

describe('envName()', () => {
  it('upper-snake-cases names of every shape', () => {
    expect(envName('payments')).toBe('PAYMENTS');
    expect(envName('payments-api')).toBe('PAYMENTS_API');
    expect(envName('GET /users/:id')).toBe('GET_USERS_ID');
    expect(envName('userProfile')).toBe('USER_PROFILE');
    expect(envName('tenant:acme.v2')).toBe('TENANT_ACME_V2');
  });
});
