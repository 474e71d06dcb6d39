// Starts the Koa example on 127.0.0.1:3000 (PORT overrides).

import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
createApp().listen(port, '127.0.0.1', () => {
  console.log(`Koa example on http://127.0.0.1:${port}/forecast/oslo`);
  console.log(
    `Make the weather service fail: curl -X POST http://127.0.0.1:${port}/weather-service/fail`,
  );
});
