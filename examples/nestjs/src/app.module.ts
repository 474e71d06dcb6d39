// The example's root module: BreakwaterModule.forRoot() plus the controllers.

import { Module, type DynamicModule } from '@nestjs/common';
import { BreakwaterModule, type BreakwaterModuleOptions } from '@breakwater/nestjs';
import { ForecastController } from './forecast.controller.js';
import { HealthController } from './health.controller.js';
import { WeatherService, WeatherSwitchController } from './weather.js';

/** The app module; `options` go to BreakwaterModule.forRoot() (tests pass a clock and a registry). */
@Module({})
export class AppModule {
  static withOptions(options: BreakwaterModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [BreakwaterModule.forRoot({ routes: 'decorated', ...options })],
      controllers: [ForecastController, WeatherSwitchController, HealthController],
      providers: [WeatherService],
    };
  }
}
