// Tests for BreakwaterModule and @CircuitBreaker over real HTTP on 127.0.0.1, on both Nest platforms.

import 'reflect-metadata';
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import {
  All,
  Controller,
  Get,
  Inject,
  InternalServerErrorException,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  Req,
  Res,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from './decorator.js';
import { BreakwaterModule } from './module.js';
import type { BreakwaterModuleOptions } from './options.js';

let behaviour: 'ok' | 'missing' | 'server-error' | 'crash' = 'ok';

@Controller('users')
class UsersController {
  @Get(':id')
  find(@Param('id', ParseIntPipe) id: number): { id: number } {
    if (behaviour === 'missing') throw new NotFoundException();
    if (behaviour === 'server-error') throw new InternalServerErrorException();
    if (behaviour === 'crash') throw new Error('crashed');
    return { id };
  }

  @CircuitBreaker({ name: 'reports', failureThreshold: 1 })
  @Get('report/today')
  report(): string {
    if (behaviour !== 'ok') throw new Error('report failed');
    return 'report';
  }

  @All('any/method')
  any(@Req() request: { method: string }): string {
    return request.method;
  }

  @Get('response/shape')
  shape(@Res({ passthrough: true }) response: object): { ownWriteHead: boolean } {
    return { ownWriteHead: Object.hasOwn(response, 'writeHead') };
  }

  @CircuitBreaker(false)
  @Get('ping/now')
  ping(): string {
    if (behaviour !== 'ok') throw new Error('ping failed');
    return 'pong';
  }
}

@Controller('health')
class HealthController {
  constructor(@Inject(BreakerRegistry) private readonly registry: BreakerRegistry) {}

  @CircuitBreaker(false)
  @Get()
  names(): string[] {
    return this.registry.list().map((breaker) => breaker.name);
  }
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  behaviour = 'ok';
});

async function start(
  platform: 'express' | 'fastify',
  options: BreakwaterModuleOptions,
): Promise<string> {
  @Module({
    imports: [BreakwaterModule.forRoot(options)],
    controllers: [UsersController, HealthController],
  })
  class AppModule {}
  app = await NestFactory.create(
    AppModule,
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false, forceCloseConnections: true },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe.each(['express', 'fastify'] as const)('BreakwaterModule on platform-%s', (platform) => {
  const options = (): BreakwaterModuleOptions => ({
    registry: new BreakerRegistry(),
    clock: new ManualClock(),
    failureThreshold: 2,
    openDuration: 5000,
  });

  it('guards every route under a breaker named after it, and provides the registry', async () => {
    const url = await start(platform, options());
    const res = await fetch(`${url}/users/7`);
    expect(await res.json()).toEqual({ id: 7 });
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    const names = (await (await fetch(`${url}/health`)).json()) as string[];
    expect(names.sort()).toEqual(['GET /users/:id', 'reports']);
  });

  it('names the breaker of an @All() route after each request’s method', async () => {
    const url = await start(platform, options());
    expect(await (await fetch(`${url}/users/any/method`)).text()).toBe('GET');
    expect(await (await fetch(`${url}/users/any/method`, { method: 'POST' })).text()).toBe('POST');
    expect(await (await fetch(`${url}/users/any/method`)).text()).toBe('GET');
    const names = (await (await fetch(`${url}/health`)).json()) as string[];
    expect(names.filter((name) => name.includes('any')).sort()).toEqual([
      'GET /users/any/method',
      'POST /users/any/method',
    ]);
  });

  it('never counts NotFoundException or a validation pipe’s 400 as failures', async () => {
    const url = await start(platform, options());
    behaviour = 'missing';
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/users/1`)).status).toBe(404);
    behaviour = 'ok';
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/users/abc`)).status).toBe(400);
    expect((await fetch(`${url}/users/1`)).status).toBe(200);
  });

  it.each(['server-error', 'crash'] as const)(
    'trips on a %s, then answers the 503 contract',
    async (what) => {
      const url = await start(platform, options());
      behaviour = what;
      expect((await fetch(`${url}/users/1`)).status).toBe(500);
      expect((await fetch(`${url}/users/1`)).status).toBe(500);
      behaviour = 'ok';
      const res = await fetch(`${url}/users/1`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/); // Fastify adds a charset
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ breaker: 'GET /users/:id', state: 'open' });
    },
  );

  it('applies @CircuitBreaker() options per handler, and false leaves a route unguarded', async () => {
    const url = await start(platform, options());
    behaviour = 'crash';
    await fetch(`${url}/users/report/today`);
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/users/ping/now`)).status).toBe(500);
    behaviour = 'ok';
    expect((await fetch(`${url}/users/report/today`)).status).toBe(503);
    const ping = await fetch(`${url}/users/ping/now`);
    expect(ping.status).toBe(200);
    expect(ping.headers.get('x-circuit-breaker-state')).toBeNull();
  });

  it("guards only decorated routes with routes: 'decorated'", async () => {
    const url = await start(platform, { ...options(), routes: 'decorated' });
    const res = await fetch(`${url}/users/1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-circuit-breaker-state')).toBeNull();
    expect((await fetch(`${url}/users/report/today`)).headers.get('x-circuit-breaker-state')).toBe(
      'closed',
    );
  });
});

describe('BreakwaterModule on platform-express', () => {
  it('stamps through the app’s response prototype: the response gains no writeHead', async () => {
    const url = await start('express', { registry: new BreakerRegistry() });
    const res = await fetch(`${url}/users/response/shape`);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(await res.json()).toEqual({ ownWriteHead: false });
  });
});

describe('options', () => {
  it('forRoot throws a TypeError naming a bad option', () => {
    expect(() => BreakwaterModule.forRoot({ failureThreshold: -1 })).toThrow(/failureThreshold/);
    expect(() => BreakwaterModule.forRoot({ routes: 'some' as 'all' })).toThrow(/routes/);
  });

  it('@CircuitBreaker throws a TypeError naming a bad option when applied', () => {
    expect(() => CircuitBreaker({ timeout: 'soon' as unknown as number })).toThrow(/timeout/);
  });
});
