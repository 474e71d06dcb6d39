// The example's flaky dependency and the unguarded switch that makes it fail or heal.

import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CircuitBreaker } from '@breakwater/nestjs';

/** A stand-in for a remote weather service. */
export class WeatherService {
  failing = false;
}

/** POST /weather-service/fail | /weather-service/heal (never guarded). */
@CircuitBreaker(false)
@Controller('weather-service')
export class WeatherSwitchController {
  constructor(@Inject(WeatherService) private readonly weather: WeatherService) {}

  @Post(':mode')
  @HttpCode(204)
  set(@Param('mode') mode: string): void {
    this.weather.failing = mode === 'fail';
  }
}
