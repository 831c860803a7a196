import type { EventContract } from '@omni/contracts';
import type { RetentionTable } from '@omni/messaging';
import type { ServiceEnv } from './config/service-env';

/** A class constructor (entity, migration); TypeORM accepts these in its entity and migration lists. */
export type ClassRef = new (...args: never[]) => unknown;

/** Everything the platform needs to know to run one service. */
export interface ServiceDefinition {
  /** Service name, e.g. `inventory`; used for logs, metrics, tracing, the consumer group and the local database. */
  name: string;
  /** HTTP port when PORT is not set. */
  defaultPort: number;
  /** The service's env class (extends ServiceEnv); ServiceEnv when omitted. */
  env?: new () => ServiceEnv;
  /** TypeORM entities the service owns. */
  entities: ClassRef[];
  /** TypeORM migrations of the service's own schema (messaging's tables are added by the platform). */
  migrations: ClassRef[];
  /** Event contracts this service publishes (through its outbox). */
  publishes?: EventContract[];
  /** Event contracts this service consumes. */
  consumes?: EventContract[];
  /**
   * Who may call the HTTP routes. `services` (the default): the routes are an internal API, and
   * every one but health and metrics (and those marked @PublicRoute) requires a service credential
   * for this service (ServiceAuthGuard). `public`: the service is a public entry that
   * authenticates its callers itself (the gateway: channel API keys, staff and member tokens).
   */
  callers?: 'services' | 'public';
  /** Dedupe tables besides the inbox (e.g. TCC barrier rows), deleted after DEDUP_RETENTION_MS. */
  dedupTables?: RetentionTable[];
  /**
   * Consumer groups of read models and feeds, whose events may arrive up to two seconds late and are
   * then taken in long runs (MessagingModuleOptions.gatheredGroups); never a saga's group.
   */
  gatheredGroups?: string[];
}
