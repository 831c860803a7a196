import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, ModuleMetadata, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { TccCoordinatorObserver } from '../coordinator.types';
import { TccRecoveryLoop, TccRecoveryLoopOptions } from '../recovery.loop';
import { TccCoordinator, TccCoordinatorOptions } from '../tcc-coordinator';

/** What a service gives the coordinator module. */
export interface TccCoordinatorModuleOptions {
  coordinator: TccCoordinatorOptions;
  dataSource: DataSource;
  /** Recovery loop settings; `enabled: false` leaves recovery to other replicas or to tests. */
  recovery?: Omit<TccRecoveryLoopOptions, 'coordinator' | 'runInTransaction'> & { enabled?: boolean };
}

/** Injection token of the resolved options. */
export const TCC_COORDINATOR_OPTIONS = Symbol('TCC_COORDINATOR_OPTIONS');

/** Prometheus counters and Nest logs for the coordinator's alerts, resends and outcomes. */
export function promTccObserver(registry: Registry, logger = new Logger('TccCoordinator')): TccCoordinatorObserver {
  const alerts = new Counter({ name: 'tcc_phase_alerts_total', help: 'Confirm/Cancel phases that kept failing', labelNames: ['op'], registers: [registry] });
  const resent = new Counter({ name: 'tcc_commands_resent_total', help: 'Commands resent by the recovery loop', labelNames: ['participant', 'op'], registers: [registry] });
  const finished = new Counter({ name: 'tcc_global_finished_total', help: 'Global transactions by final status', labelNames: ['status'], registers: [registry] });
  const ignored = new Counter({ name: 'tcc_replies_ignored_total', help: 'Duplicate or out-of-order replies', labelNames: ['op'], registers: [registry] });
  return {
    alert: (gid, op, attempts, detail) => {
      alerts.inc({ op });
      logger.error({ msg: 'tcc phase keeps failing', gid, op, attempts, detail });
    },
    resent: (participant, op) => resent.inc({ participant, op }),
    finished: (status) => finished.inc({ status }),
    ignoredReply: (reply) => ignored.inc({ op: reply.op }),
  };
}

/** Starts the recovery loop after bootstrap (every unfinished transaction resumes) and stops it before shutdown. */
@Injectable()
export class TccRecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly loop: TccRecoveryLoop;

  constructor(coordinator: TccCoordinator, @Inject(TCC_COORDINATOR_OPTIONS) private readonly options: TccCoordinatorModuleOptions) {
    const logger = new Logger('TccRecovery');
    this.loop = new TccRecoveryLoop({
      coordinator,
      runInTransaction: (work) => options.dataSource.transaction((manager) => work(manager)),
      onError: (error, gid) => logger.error({ msg: 'tcc recovery visit failed', gid, error: error instanceof Error ? error.message : String(error) }),
      ...options.recovery,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.recovery?.enabled !== false) await this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}

/** Thin NestJS adapter: provides TccCoordinator and runs its recovery loop with the app's lifecycle. */
@Module({})
export class TccCoordinatorModule {
  /** Options from a factory (config, DataSource, outbox…). */
  static forRootAsync(options: Pick<ModuleMetadata, 'imports'> & {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Nest's own factory providers
    inject?: any[];
    useFactory: (...args: never[]) => TccCoordinatorModuleOptions | Promise<TccCoordinatorModuleOptions>;
  }): DynamicModule {
    return {
      module: TccCoordinatorModule,
      imports: options.imports ?? [],
      providers: [
        { provide: TCC_COORDINATOR_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: TccCoordinator, inject: [TCC_COORDINATOR_OPTIONS], useFactory: (o: TccCoordinatorModuleOptions) => new TccCoordinator(o.coordinator) },
        TccRecoveryService,
      ],
      exports: [TccCoordinator, TccRecoveryService],
    };
  }
}
