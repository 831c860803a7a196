import type { INestApplication, Type } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { ConfigError } from '../config/load-config';
import type { ServiceEnv } from '../config/service-env';
import type { Server } from 'node:http';
import { HttpIntake } from '../lifecycle/http-intake';
import { SHUTDOWN_RESERVE, ShutdownClock } from '../lifecycle/shutdown-clock';
import { runShutdownTasks, SHUTDOWN_TASK_TIMEOUT_MS } from '../lifecycle/shutdown-tasks';
import { SERVICE_CONFIG, SERVICE_DEFINITION } from '../platform.tokens';
import type { ServiceDefinition } from '../service-definition';
import { createServiceApp, type ServiceAppOptions } from './create-service-app';

/** Options for {@link bootstrapService}. */
export interface BootstrapOptions extends ServiceAppOptions {
  /** Interface to bind; default all interfaces. */
  host?: string;
}

/** Prints why the service cannot start and exits 1; a config problem is one readable message, no stack. */
function exitOnStartupFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    pino({ base: { pid: process.pid }, messageKey: 'msg' }).fatal({ err: error }, 'service failed to start');
  }
  process.exit(1);
}

/**
 * On SIGTERM/SIGINT, within one budget of SHUTDOWN_TIMEOUT_MS shared by every step (ShutdownClock):
 * stop HTTP intake and let the requests in flight finish (consumers still run, so a request waiting
 * for a saga reply gets it), then close the app (Nest shutdown hooks: messaging stops consumers,
 * their in-flight messages finish, and flushes the outbox; timers stop; connections close), run late
 * shutdown tasks (tracing flush) with what is left, exit 0. A watchdog forces exit 1 at the deadline.
 */
function installShutdown(app: INestApplication, timeoutMs: number, logger: Logger): void {
  const clock = app.get(ShutdownClock);
  const intake = new HttpIntake(app.getHttpServer() as Server);
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    clock.begin(timeoutMs);
    logger.log(`received ${signal}, shutting down (timeout ${timeoutMs} ms, ${intake.inFlightCount} requests in flight)`, 'Shutdown');
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs} ms, forcing exit`, undefined, 'Shutdown');
      process.exit(1);
    }, timeoutMs).unref();
    intake
      .drain(clock.remainingMs(SHUTDOWN_RESERVE.afterHttp) ?? 0)
      .then((cutOff) => {
        if (cutOff > 0) logger.warn(`${cutOff} requests were still in flight when the HTTP drain ran out of time`, 'Shutdown');
      })
      .then(() => app.close())
      .then(() =>
        runShutdownTasks(
          (name, error) => logger.warn(`shutdown task ${name} failed: ${String(error)}`, 'Shutdown'),
          Math.max(100, Math.min(SHUTDOWN_TASK_TIMEOUT_MS, (clock.remainingMs() ?? SHUTDOWN_TASK_TIMEOUT_MS) - 100)),
        ),
      )
      .then(
        () => {
          logger.log('shutdown complete', 'Shutdown');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed', 'Shutdown');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/**
 * Creates the app, installs the shutdown watchdog and listens on PORT. Bad config or any start-up
 * failure prints the reason and exits 1. With DB_MIGRATIONS=only it exits 0 once the app is
 * created, which applied the migrations, before any consumer, relay or listener starts. Nest's own enableShutdownHooks is not used: it re-raises
 * the signal after closing, which would make a clean shutdown exit non-zero.
 */
export async function bootstrapService(appModule: Type<unknown>, options: BootstrapOptions = {}): Promise<INestApplication> {
  let app: INestApplication;
  try {
    app = await createServiceApp(appModule, options);
  } catch (error) {
    exitOnStartupFailure(error);
  }
  const config = app.get<ServiceEnv>(SERVICE_CONFIG);
  const def = app.get<ServiceDefinition>(SERVICE_DEFINITION);
  const logger = app.get(Logger);
  if (config.DB_MIGRATIONS === 'only') {
    // The migration step of a deployment: creating the app applied them (under the lock); nothing else starts.
    logger.log(`${def.name} migrations applied, exiting (DB_MIGRATIONS=only)`, 'Bootstrap');
    await app.close();
    process.exit(0);
  }
  installShutdown(app, config.SHUTDOWN_TIMEOUT_MS, logger);
  try {
    await app.listen(config.PORT, options.host ?? '0.0.0.0');
  } catch (error) {
    exitOnStartupFailure(error);
  }
  const address = app.getHttpServer().address() as { port: number } | null;
  logger.log(`${def.name} listening on http://${options.host ?? '0.0.0.0'}:${address?.port ?? config.PORT}`, 'Bootstrap');
  return app;
}
