// Health and readiness through Nest's providers: the BreakerRegistry BreakwaterModule provides.

import { BreakerRegistry, healthSnapshot, readiness, type HealthSnapshot } from '@breakwater/core';
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { CircuitBreaker } from '@breakwater/nestjs';

/** GET /health (every breaker) and GET /ready (503 while the forecast breaker is open). */
@CircuitBreaker(false)
@Controller()
export class HealthController {
  constructor(@Inject(BreakerRegistry) private readonly registry: BreakerRegistry) {}

  @Get('health')
  health(): HealthSnapshot {
    return healthSnapshot(this.registry);
  }

  @Get('ready')
  ready(): unknown {
    const answer = readiness(this.registry, { critical: ['GET /forecast/:city'] });
    if (answer.status === 503) throw new ServiceUnavailableException(answer.body);
    return answer.body;
  }
}
