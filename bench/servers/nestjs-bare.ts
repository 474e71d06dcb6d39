// Bare NestJS 12 on platform-express: hello world or the 2 KB body.

import { serve } from '../lib/serve.js';
import { nestServer } from './nest-app.js';

await serve(await nestServer([]));
