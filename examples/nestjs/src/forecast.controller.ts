// The guarded route: GET /forecast/:city, its own breaker named `GET /forecast/:city`.

import { Controller, Get, HttpException, Inject, Param } from '@nestjs/common';
import { CircuitBreaker } from '@breakwater/nestjs';
import { WeatherService } from './weather.js';

/** Forecasts from the weather service; a 502 from it counts as a failure (a 404 would not). */
@Controller('forecast')
export class ForecastController {
  constructor(@Inject(WeatherService) private readonly weather: WeatherService) {}

  @CircuitBreaker({ failureThreshold: 3, openDuration: 10_000 })
  @Get(':city')
  forecast(@Param('city') city: string): { city: string; forecast: string; updatedAt: string } {
    if (this.weather.failing)
      throw new HttpException({ error: 'weather service unavailable' }, 502);
    return { city, forecast: 'sunny', updatedAt: new Date().toISOString() };
  }
}
