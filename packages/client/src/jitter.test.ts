// Unit tests for retry-wait jitter.
import { describe, expect, it } from 'vitest';
import { jitteredDelay } from './jitter.js';

describe('jitteredDelay', () => {
  it('waits exactly the server delay without jitter', () => {
    expect(jitteredDelay('none', 2000, 0, 30_000, 0.9)).toBe(2000);
  });

  it('spreads full jitter between the delay and twice it', () => {
    expect(jitteredDelay('full', 2000, 0, 30_000, 0)).toBe(2000);
    expect(jitteredDelay('full', 2000, 0, 30_000, 0.5)).toBe(3000);
    expect(jitteredDelay('full', 2000, 0, 30_000, 0.999)).toBeLessThan(4000);
  });

  it('grows decorrelated jitter from the previous wait, never below the delay', () => {
    expect(jitteredDelay('decorrelated', 1000, 0, 30_000, 0.5)).toBe(1000);
    expect(jitteredDelay('decorrelated', 1000, 2000, 30_000, 0.5)).toBe(3500);
    expect(jitteredDelay('decorrelated', 1000, 2000, 30_000, 0)).toBe(1000);
  });

  it('never waits past the cap', () => {
    expect(jitteredDelay('full', 20_000, 0, 30_000, 0.9)).toBe(30_000);
    expect(jitteredDelay('decorrelated', 1000, 50_000, 30_000, 0.9)).toBe(30_000);
  });
});
