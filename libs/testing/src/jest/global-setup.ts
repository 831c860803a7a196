import { randomBytes } from 'node:crypto';

/**
 * Jest global setup for integration and e2e suites: brings the local infrastructure up once per
 * run (reusing whatever is already running) with the same code as `npm run infra:up`.
 */
// tools/infra is the plain-JS infrastructure script shared with `npm run infra:up`, not an Nx project.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const infra = require('../../../../tools/infra/infra.js') as { up(options?: { quiet?: boolean }): Promise<unknown> };

export default async function globalSetup(): Promise<void> {
  await infra.up({ quiet: true });
  // Workers inherit this: every suite's topics carry the run id, so the teardown can delete
  // exactly this run's topics without touching a concurrent run's.
  process.env.OMNI_TEST_RUN ??= randomBytes(3).toString('hex');
}
