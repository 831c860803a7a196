import type { INestApplication, Type } from '@nestjs/common';
import { createServiceApp, type ServiceAppOptions } from '../bootstrap/create-service-app';

/** A service booted in-process for an integration test. */
export interface TestService {
  app: INestApplication;
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Closes the app (shutdown hooks run) and restores the environment. */
  close(): Promise<void>;
}

/**
 * Boots `appModule` exactly as production does (same module, same pipes and filters) with `env`
 * laid over process.env, on an ephemeral loopback port. The caller brings the database, topic
 * prefix and Redis prefix (see @omni/testing).
 */
export async function startServiceForTest(appModule: Type<unknown>, env: Record<string, string>, options: ServiceAppOptions = {}): Promise<TestService> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const restore = (): void => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  let app: INestApplication;
  try {
    app = await createServiceApp(appModule, options);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    restore();
    throw error;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      try {
        await app.close();
      } finally {
        restore();
      }
    },
  };
}
