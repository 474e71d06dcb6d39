// BreakwaterModule.forRoot(): the global interceptor, the validated options and the registry as Nest providers.

import { BreakerRegistry, defaultRegistry } from '@breakwater/core';
import { invalidOption, parseGuardOptions } from '@breakwater/core/adapter';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { CircuitBreakerInterceptor } from './interceptor.js';
import {
  BREAKWATER_SETTINGS,
  type BreakwaterModuleOptions,
  type BreakwaterSettings,
  type NestCircuitBreakerOptions,
} from './options.js';

/**
 * Circuit breakers for a Nest app, on `@nestjs/platform-express` or `@nestjs/platform-fastify`.
 * Import `BreakwaterModule.forRoot(options)` once (it is global); routes are then guarded per
 * {@link BreakwaterModuleOptions.routes}, with per-route options from `@CircuitBreaker()`.
 * The breakers' `BreakerRegistry` is a provider (inject it for health, readiness and metrics).
 */
@Module({})
export class BreakwaterModule {
  /**
   * The module with its options, validated now (a `TypeError` naming the option).
   *
   * @example
   * \@Module({ imports: [BreakwaterModule.forRoot({ failureThreshold: 5 })], controllers: [UsersController] })
   * export class AppModule {}
   */
  static forRoot(options: BreakwaterModuleOptions = {}): DynamicModule {
    const { routes = 'all', ...rest } = options;
    if (routes !== 'all' && routes !== 'decorated')
      invalidOption('routes', routes, "'all' or 'decorated'");
    const guardOptions: NestCircuitBreakerOptions = rest;
    parseGuardOptions(guardOptions, 'BreakwaterModule.forRoot() options');
    const registry =
      guardOptions.registry === undefined || guardOptions.registry === false
        ? defaultRegistry
        : guardOptions.registry;
    const settings: BreakwaterSettings = { routes, options: guardOptions };
    return {
      module: BreakwaterModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: BREAKWATER_SETTINGS, useValue: settings },
        { provide: BreakerRegistry, useValue: registry },
        { provide: APP_INTERCEPTOR, useClass: CircuitBreakerInterceptor },
      ],
      exports: [BREAKWATER_SETTINGS, BreakerRegistry],
    };
  }
}
