// The NestJS example over real HTTP: a trip after three failures, 503s while open, readiness, recovery.
import 'reflect-metadata';
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { forecastScenario } from '../../shared/forecast-scenario.js';
import { AppModule } from './app.module.js';

describe('the NestJS example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry();
    const app = await NestFactory.create(AppModule.withOptions({ clock, registry }), {
      logger: false,
      forceCloseConnections: true,
    });
    await app.listen(0, '127.0.0.1');
    onTestFinished(() => app.close());
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    await forecastScenario(base, (ms) => clock.advance(ms));
    const health = (await (await fetch(`${base}/health`)).json()) as {
      breakers: { name: string }[];
    };
    expect(health.breakers.map((b) => b.name)).toEqual(['GET /forecast/:city']);
  });

  it('is not ready while the forecast breaker is open', async () => {
    const registry = new BreakerRegistry();
    const app = await NestFactory.create(AppModule.withOptions({ registry }), { logger: false });
    await app.listen(0, '127.0.0.1');
    onTestFinished(() => app.close());
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    await fetch(`${base}/forecast/oslo`); // route-named breakers start with their first request
    registry.get('GET /forecast/:city')!.forceOpen();
    expect((await fetch(`${base}/ready`)).status).toBe(503);
  });
});
