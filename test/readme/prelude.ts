// Runtime values for the names README snippets take for granted (see globals.d.ts).
import express from 'express';

Object.assign(globalThis, {
  loadUser: async (id: string) => ({ id, name: `User ${id}` }),
  geocode: async () => ({ lat: 59.91, lon: 10.75 }),
  address: 'Karl Johans gate 1, Oslo',
  billingRouter: express.Router(),
  paymentsRouter: express.Router(),
});
