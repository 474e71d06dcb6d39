// Starts the Hono example on 127.0.0.1:3000 (PORT overrides) with @hono/node-server.

import { serve } from '@hono/node-server';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: createApp().fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`Hono example on http://127.0.0.1:${port}/forecast/oslo`);
  console.log(
    `Make the weather service fail: curl -X POST http://127.0.0.1:${port}/weather-service/fail`,
  );
});
