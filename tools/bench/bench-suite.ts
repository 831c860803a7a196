// The whole suite for a benchmark, started the way a user starts it (`npm run up`'s tools/dev/up.mjs
// with the demo data) on its own ports, databases, topics and Redis keys; and what the benchmarks
// read from it: each process's CPU, the SQL statements each service sent, the Kafka messages written.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';
import { CpuMeter, dropSuiteData, freePortBlock, kafkaMessagesByTopic, ownSuiteEnv, pidsMatching, sqlStatementsSent, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { readDemoState, ROOT, type DemoState, type SuiteUrls } from '../demo/suite';

/** The seven services, as up.mjs names their processes (dist/apps/<app>/src/main.js). */
export const SUITE_APPS = ['gateway', 'catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector'] as const;

/** A running suite of the bench's own. */
export interface BenchSuite {
  urls: SuiteUrls;
  /** What the demo seed wrote: ids and the demo channel keys. */
  demo: DemoState;
  topicPrefix: string;
  /** A meter over every process of the suite and the infrastructure, plus the load generator (this process). */
  cpuMeter(): CpuMeter;
  /** SQL statements each service has sent so far (its /metrics db_statements_total). */
  sqlStatements(): Promise<Record<string, number>>;
  /** Messages written so far to the suite's topics, in all. */
  /** Messages written so far to each of the run's topics, by topic name without the run's prefix. */
  kafkaMessages(): Promise<Record<string, number>>;
  /** Ctrl-C to up.mjs, then the suite's databases and Redis keys are dropped. */
  stop(): Promise<void>;
}

/** The pids of up.mjs's service processes, by app (replicas of one app together). */
function servicePids(upPid: number): Record<string, number[]> {
  const pids: Record<string, number[]> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== upPid) continue;
      const app = /dist\/apps\/([a-z0-9-]+)\/src\/main\.js/.exec(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))?.[1];
      if (app) (pids[app] ??= []).push(Number(entry));
    } catch {
      // the process ended while listed
    }
  }
  return pids;
}

/**
 * Builds and starts the suite with the demo data, as `npm run up` does (local defaults: the 15 s
 * payment window among them), with `env` on top; resolves once the gateway is up and the demo keys
 * are written.
 */
/**
 * The Node flags a bench gives every service (up.mjs's OMNI_NODE_ARGS), or '' for none:
 * BENCH_NODE_ARGS as given (e.g. `--max-semi-space-size=64`), and with BENCH_PROFILE_DIR=<dir> a
 * CPU profile of every service written there at the clean stop.
 */
export function benchNodeArgs(): string {
  const profile = process.env.BENCH_PROFILE_DIR ? `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` : '';
  return [process.env.BENCH_NODE_ARGS ?? '', profile].join(' ').trim();
}

export async function startBenchSuite(name: string, env: Record<string, string> = {}): Promise<BenchSuite> {
  const build = spawn(process.execPath, [join('tools', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const [built] = (await once(build, 'exit')) as [number | null];
  if (built !== 0) throw new Error(`the build failed (exit ${String(built)})`);
  const id = uniqueId(name);
  const scratch = mkdtempSync(join(tmpdir(), `omni-${name}-`));
  const dbPrefix = `b_${id}`;
  const redisPrefix = `${id}:`;
  const topicPrefix = uniqueTopicPrefix(name);
  // The services and the platform simulators' offsets (+7, +8).
  const base = await freePortBlock(10);
  const nodeArgs = benchNodeArgs();
  const suiteEnv: NodeJS.ProcessEnv = {
    ...ownSuiteEnv({ portBase: base, dbPrefix, scratch, topicPrefix, redisPrefix }),
    LOG_LEVEL: 'warn',
    ...(nodeArgs ? { OMNI_NODE_ARGS: nodeArgs } : {}),
    // BENCH_STATEMENT_TALLY_DIR=<dir> counts every SQL statement text of every service there (at the clean stop).
    ...(process.env.BENCH_STATEMENT_TALLY_DIR ? { DB_STATEMENT_TALLY_DIR: process.env.BENCH_STATEMENT_TALLY_DIR } : {}),
    ...env,
  };
  const up: ChildProcess = spawn(process.execPath, [join('tools', 'dev', 'up.mjs')], { cwd: ROOT, env: suiteEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Everything the suite prints (warnings and errors: LOG_LEVEL=warn) is kept for after the run.
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const logFile = join(ROOT, 'tmp', `bench-${name}-suite.log`);
  writeFileSync(logFile, '');
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    appendFileSync(logFile, chunk);
  };
  up.stdout!.on('data', keep);
  up.stderr!.on('data', keep);
  const exited = once(up, 'exit');
  const urls: SuiteUrls = {
    gateway: `http://127.0.0.1:${base}`,
    catalog: `http://127.0.0.1:${base + 1}`,
    inventory: `http://127.0.0.1:${base + 2}`,
    order: `http://127.0.0.1:${base + 3}`,
    pricing: `http://127.0.0.1:${base + 4}`,
    member: `http://127.0.0.1:${base + 5}`,
    deliveryPlatform: `http://127.0.0.1:${base + 7}`,
  };
  const appPort = (app: string) => base + SUITE_APPS.indexOf(app as (typeof SUITE_APPS)[number]);

  const stop = async (): Promise<void> => {
    if (up.exitCode === null && up.signalCode === null) {
      up.kill('SIGINT');
      const timer = setTimeout(() => up.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    await dropSuiteData(dbPrefix, SUITE_APPS, redisPrefix);
    rmSync(scratch, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      exited.then(() => {
        throw new Error(`the suite exited before it was up:\n${output.slice(-4000)}`);
      }),
      waitFor(() => /^Gateway: http/m.test(output) || undefined, { timeoutMs: 300_000, intervalMs: 250, what: 'the suite to come up with the demo data' }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const demo = readDemoState(join(scratch, 'demo'));
  if (!demo) {
    await stop();
    throw new Error(`the demo seed wrote no state:\n${output.slice(-4000)}`);
  }

  return {
    urls,
    demo,
    topicPrefix,
    cpuMeter: () => {
      const groups: Record<string, () => number[]> = {};
      for (const app of SUITE_APPS) groups[app] = () => servicePids(up.pid!)[app] ?? [];
      groups.postgres = () => pidsMatching('postgres');
      groups.kafka = () => pidsMatching('kafka.Kafka');
      groups.redis = () => pidsMatching('redis-server');
      groups['load generator'] = () => [process.pid];
      return new CpuMeter(groups);
    },
    sqlStatements: () => sqlStatementsSent(Object.fromEntries(SUITE_APPS.map((app) => [app, `http://127.0.0.1:${appPort(app)}/metrics`])), serviceAuthHeadersForUrl),
    kafkaMessages: () => kafkaMessagesByTopic(topicPrefix),
    stop,
  };
}

/**
 * What one measured stretch cost, per unit of work (a saga, an answer): CPU milliseconds of every
 * process, SQL statements of every service, and Kafka messages.
 */
export interface CostTable {
  cpuMs: Record<string, number>;
  sqlStatements: Record<string, number>;
  kafkaMessages: number;
  /** Kafka messages per unit by topic (topics with none left out), most first. */
  kafkaMessagesByTopic: Record<string, number>;
}

/** Starts measuring; the returned function ends it and divides what was used by `units`. */
export async function measureCosts(suite: BenchSuite): Promise<(units: number) => Promise<CostTable>> {
  const meter = suite.cpuMeter();
  const sqlBefore = await suite.sqlStatements();
  const kafkaBefore = await suite.kafkaMessages();
  meter.start();
  return async (units) => {
    const used = meter.stop();
    const sqlAfter = await suite.sqlStatements();
    const kafkaAfter = await suite.kafkaMessages();
    const per = (n: number) => Math.round((n / units) * 100) / 100;
    const cpuMs = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, per(v)]));
    cpuMs.total = per(Object.values(used).reduce((a, b) => a + b, 0));
    const sqlStatements = Object.fromEntries(Object.keys(sqlAfter).map((k) => [k, per(sqlAfter[k] - sqlBefore[k])]));
    sqlStatements.total = per(Object.keys(sqlAfter).reduce((sum, k) => sum + sqlAfter[k] - sqlBefore[k], 0));
    const byTopic = Object.entries(kafkaAfter)
      .map(([topic, n]) => [topic, n - (kafkaBefore[topic] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const kafkaMessages = per(byTopic.reduce((sum, [, n]) => sum + n, 0));
    return { cpuMs, sqlStatements, kafkaMessages, kafkaMessagesByTopic: Object.fromEntries(byTopic.map(([topic, n]) => [topic, per(n)])) };
  };
}
