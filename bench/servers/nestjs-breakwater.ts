// NestJS 12 on platform-express guarded by BreakwaterModule.forRoot() (every route), driven closed or open.

import type { DynamicModule } from '@nestjs/common';
import { driveState } from '../lib/drive.js';
import { loadExport, serve, skip } from '../lib/serve.js';
import { serverOptions } from '../lib/server-options.js';
import { nestServer } from './nest-app.js';

type BreakwaterModule = { forRoot(options: Record<string, unknown>): DynamicModule };

const options = serverOptions();
const module = await loadExport<BreakwaterModule>('@breakwater/nestjs', 'BreakwaterModule');
if (module === undefined) skip('@breakwater/nestjs has no BreakwaterModule export yet');

const breakwater = module.forRoot({
  openDuration: 3_600_000,
  ...(options.state === 'cached' ? { cache: true } : {}),
});
await serve(await nestServer([breakwater]), async (base) => {
  const why = await driveState(
    `${base}/${options.route === 'body' ? 'body' : 'hello'}`,
    options.state,
  );
  if (why !== undefined) skip(why);
});
