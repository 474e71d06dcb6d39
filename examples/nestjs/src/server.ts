// Starts the NestJS example on 127.0.0.1:3000 (PORT overrides).

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const port = Number(process.env.PORT ?? 3000);
const app = await NestFactory.create(AppModule.withOptions());
await app.listen(port, '127.0.0.1');
console.log(`NestJS example on http://127.0.0.1:${port}/forecast/oslo (health: /health, /ready)`);
console.log(
  `Make the weather service fail: curl -X POST http://127.0.0.1:${port}/weather-service/fail`,
);
