// The app-specific names README snippets use without defining them; prelude.ts gives them values.
import type { Router } from 'express';

declare global {
  function loadUser(id: string): Promise<{ id: string; name: string }>;
  function geocode(
    address: string,
    options: { signal: AbortSignal | undefined },
  ): Promise<{ lat: number; lon: number }>;
  const address: string;
  const billingRouter: Router;
  const paymentsRouter: Router;
}
