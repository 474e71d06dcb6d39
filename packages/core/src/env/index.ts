// Breaker options from environment variables.

export { envName } from './env-names.js';
export {
  optionsFromEnv,
  type EnvBreakerOptions,
  type EnvOptionsOptions,
} from './options-from-env.js';
