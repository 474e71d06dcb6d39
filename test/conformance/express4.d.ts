// Types for the `express4` alias (express@4): the runtime differs, the fixture uses only shared API.
declare module 'express4' {
  import type { Express } from 'express';
  const createApplication: () => Express;
  export default createApplication;
}
