/** Types of tools/infra/infra.js (plain CommonJS so it runs without a TypeScript toolchain). */

/** Options shared by up, down and status. */
export interface InfraOptions {
  /** Print nothing (the jest global setup uses this). */
  quiet?: boolean;
}

/** What `up` did. */
export interface UpResult {
  databases: { created: string[]; existing: string[] };
  kafka: { action: 'reused' | 'started'; pid?: number; fetchedJars?: boolean; formatted?: boolean; clusterId?: string; ms: number };
  storesMs: number;
  totalMs: number;
}

/** Kafka settings resolved from the environment. */
export interface KafkaSettings {
  host: string;
  port: number;
  controllerPort: number;
  version: string;
  pomFile: string;
  libsDir: string;
  libsMarker: string;
  instanceDir: string;
  dataDir: string;
  logsDir: string;
  propertiesFile: string;
  log4jFile: string;
  pidFile: string;
  lockFile: string;
  startTimeoutMs: number;
}

/** Every setting, resolved from OMNI_* (and TEST_*) environment variables. */
export interface InfraSettings {
  repoRoot: string;
  cacheDir: string;
  kafka: KafkaSettings;
  postgres: { adminUrl: string; databases: string[] };
  redis: { url: string };
}

/** Makes Postgres databases, Redis and a Kafka broker available, reusing what already answers. */
export function up(options?: InfraOptions): Promise<UpResult>;
/** Stops the Kafka broker this tool started, and only that one. */
export function down(options?: InfraOptions): Promise<{ action: 'none' | 'stopped' | 'killed'; pid?: number; reason?: string }>;
/** Reports each component's state. */
export function status(options?: InfraOptions): Promise<unknown>;
/** Resolves the settings from `env` (default process.env). */
export function resolveSettings(env?: NodeJS.ProcessEnv): InfraSettings;

/** Kafka version fetched by tools/infra/kafka/pom.xml. */
export const KAFKA_VERSION: string;
/** Default local ports of Kafka, its controller, Postgres and Redis. */
export const DEFAULT_PORTS: Readonly<{ kafka: number; kafkaController: number; postgres: number; redis: number }>;
/** HTTP port of each app, keyed by its folder name under apps/. */
export const APP_PORTS: Readonly<Record<string, number>>;
/** The database each app owns, keyed by its folder name under apps/. */
export const SERVICE_DATABASES: Readonly<Record<string, string>>;

/** A missing or unusable prerequisite; `code` says which (JAVA_MISSING, POSTGRES_DOWN, ...). */
export class PrerequisiteError extends Error {
  readonly code: string;
  constructor(code: string, message: string);
}
/** The prerequisite messages, each naming what is missing and how to get it. */
export const messages: {
  javaMissing(): string;
  javaTooOld(major: number | string): string;
  mavenMissing(): string;
  mavenFailed(detail: string): string;
  postgresDown(where: string, reason: string): string;
  redisDown(where: string, reason: string): string;
  kafkaPortTaken(where: string, reason: string): string;
  kafkaNotStarting(where: string, seconds: number, logFile: string, tail: string): string;
  kafkaExited(code: number | string, logFile: string, tail: string): string;
};
/** The major version in `java -version` output, or null. */
export function parseJavaMajor(versionOutput: string): number | null;

/** Minimal shape of child_process.spawnSync used by the checks (injectable in tests). */
export type RunSync = (command: string, args: string[], options: { encoding: 'utf8' }) => {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
};
/** Throws PrerequisiteError unless Java 17+ runs; returns its major version. */
export function requireJava(run?: RunSync): number;
/** Throws PrerequisiteError unless Maven runs. */
export function requireMaven(run?: RunSync): void;

/** server.properties of the local single-node KRaft broker. */
export function serverProperties(kafka: Pick<KafkaSettings, 'host' | 'port' | 'controllerPort' | 'dataDir'>): string;
/** log4j.properties sending broker logs to files under `logsDir`. */
export function log4jProperties(logsDir: string): string;
/** The java command line that runs the broker. */
export function brokerCommand(
  kafka: Pick<KafkaSettings, 'libsDir' | 'propertiesFile' | 'log4jFile' | 'logsDir'>,
): { command: string; args: string[] };
/** A random KRaft cluster id (16 bytes, URL-safe base64, never starting with '-'). */
export function randomClusterId(): string;

/** Makes sure a broker answers on `k` (reusing one that does), starting it from the fetched jars otherwise. */
export function ensureBroker(k: KafkaSettings, log: (line: string) => void): Promise<{ action: 'reused' | 'started'; pid?: number; clusterId?: string }>;
/** Stops the broker started with `k` (SIGTERM, then SIGKILL after `graceMs`); never another one. */
export function stopBroker(k: KafkaSettings, graceMs?: number): Promise<{ action: 'none' | 'stopped' | 'killed'; pid?: number; reason?: string }>;
