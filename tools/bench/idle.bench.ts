// The whole suite with no traffic at all: what it costs a machine (or a cluster of pods) to keep it
// up and doing nothing. Starts the suite as `npm run up` does (its own ports, databases, topics,
// Redis keys and logs) on a Kafka broker of its own (the same code and settings as `npm run
// infra:up`, so the broker's figure is the suite's alone), lets it settle, then samples the CPU and
// the context switches of every process that serves it: the seven services, the two platform
// simulators, up.mjs, its broker, the Postgres backends of its databases, and the Postgres server
// processes and Redis (shared with whatever else runs on this machine: read those two with that in
// mind). Also counts the transactions each database committed in the window. Then stops the suite
// as Ctrl-C does, stops its broker and drops its databases and keys.
//
//   node -r @swc-node/register tools/bench/idle.bench.ts [seconds] [settle seconds] [--shared-broker]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CpuMeter, dropSuiteData, freePortBlock, KafkaBrokerProcess, ownSuiteEnv, pidsMatching, printBenchResult, testInfra, threadCpuByName, threadCpuMs, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { benchNodeArgs } from './bench-suite';

const ROOT = resolve(__dirname, '..', '..');
const APPS = ['gateway', 'catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector'];
/** Ports the suite takes from its base: seven services and the two simulators (+7, +8). */
const PORTS_TAKEN = 9;
/** The goal: the whole suite idle costs at most this share of the machine. */
const TARGET_PERCENT_OF_MACHINE = 3;

/** How long to sample, how long to let the suite settle after it answered ready, and which broker it uses. */
export interface IdleBenchOptions {
  seconds?: number;
  /**
   * Default 300: what an idle suite costs around the clock is its steady state, and the broker's
   * JIT compilers work for minutes after the suite connects. Measured per thread in 30 s slices
   * (`brokerThreads` shows the window's): the compiler threads used 2.7% of a core 60–120 s after
   * the suite was up, 0.4–1.4% from 2 to 4 minutes with bursts of 2.4%, about 0.4% at 5 minutes
   * and 0.15% at 15; with 120 s of settling they were a third of the broker's figure.
   */
  settleSeconds?: number;
  /** Use the broker every suite on this machine shares (its CPU then counts everyone's traffic) instead of one of its own. */
  sharedBroker?: boolean;
}

/** One process (or group of processes) and what it cost over the window. */
export interface IdleProcessFigure {
  name: string;
  pids: number[];
  cpuMs: number;
  /** CPU used as a percentage of one core. */
  cpuPercentOfCore: number;
  /** Voluntary + involuntary context switches per second, over every thread. */
  contextSwitchesPerSecond: number;
}

/** What the idle suite cost. */
export interface IdleBenchResult {
  seconds: number;
  settleSeconds: number;
  cores: number;
  processes: IdleProcessFigure[];
  /** Every process above: the suite's own and the shared infrastructure. */
  total: { cpuMs: number; percentOfMachine: number; contextSwitchesPerSecond: number; targetPercentOfMachine: number; withinTarget: boolean };
  /** The suite's own processes only (services, simulators, up.mjs, its broker, its Postgres backends). */
  suiteOnly: { cpuMs: number; percentOfMachine: number; contextSwitchesPerSecond: number };
  /** Transactions (commits + rollbacks) per second in each of the suite's databases. */
  databaseTransactionsPerSecond: Record<string, number>;
  /** Redis commands per second on the whole server (shared). */
  redisCommandsPerSecond: number;
  /** The whole machine's busy share over the window, whoever used it. */
  machineBusyPercent: number;
  /** Its own broker's CPU over the window by thread (numbers folded: "C# CompilerThre" is the JIT), largest first. */
  brokerThreads?: { thread: string; cpuMs: number }[];
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** The direct children of `parent`. */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), 'stat');
    if (stat === '') continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) pids.push(Number(entry));
  }
  return pids;
}

/** Context switches (voluntary + involuntary) of every live thread of `pid` so far. */
function contextSwitches(pid: number): number {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let total = 0;
  for (const tid of threads) {
    const status = readProc(pid, `task/${tid}/status`);
    for (const match of status.matchAll(/^(?:voluntary|nonvoluntary)_ctxt_switches:\s+(\d+)$/gm)) total += Number(match[1]);
  }
  return total;
}

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = fields[3] + fields[4];
  return { busy: total - idle, total };
}

/** Names the suite's processes: up.mjs's children are the services (by main.js path) and the simulators (by SIM_SHAPE). */
function suiteProcesses(upPid: number): Record<string, number[]> {
  const groups: Record<string, number[]> = { 'up.mjs': [upPid] };
  for (const pid of childrenOf(upPid)) {
    const cmdline = readProc(pid, 'cmdline').replace(/\0/g, ' ');
    const app = /dist\/apps\/([a-z0-9-]+)\/src\/main\.js/.exec(cmdline)?.[1];
    if (app) {
      groups[app] = [...(groups[app] ?? []), pid];
      continue;
    }
    if (cmdline.includes('platform-simulator')) {
      const shape = /(?:^|\0)SIM_SHAPE=([a-z]+)/.exec(readProc(pid, 'environ'))?.[1] ?? String(pid);
      groups[`platform-simulator-${shape}`] = [pid];
      continue;
    }
    groups[`other (${cmdline.slice(0, 60)})`] = [pid];
  }
  return groups;
}

/** A Postgres client backend's command line names its client: "postgres: <cluster>: <user> <db> 127.0.0.1(5123) idle". */
const CLIENT_BACKEND = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|::1\(\d+\)/;

/** Pids of the Postgres backends connected to the suite's databases. */
async function postgresBackendsOf(dbPrefix: string): Promise<number[]> {
  const admin = new Client({ connectionString: testInfra.postgresAdminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname LIKE $1', [`${dbPrefix}\\_%`]);
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

/** The Postgres server's own processes (postmaster, writers, launchers): shared by every database. */
function postgresServerProcesses(): number[] {
  return pidsMatching('postgres').filter((pid) => {
    const cmdline = readProc(pid, 'cmdline').replace(/\0/g, ' ');
    return /\/bin\/postgres /.test(cmdline) || (cmdline.startsWith('postgres: ') && !CLIENT_BACKEND.test(cmdline));
  });
}

async function transactionCounts(dbPrefix: string): Promise<Map<string, number>> {
  const admin = new Client({ connectionString: testInfra.postgresAdminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string; xacts: string }>(
      'SELECT datname, xact_commit + xact_rollback AS xacts FROM pg_stat_database WHERE datname LIKE $1',
      [`${dbPrefix}\\_%`],
    );
    return new Map(rows.map((row) => [row.datname, Number(row.xacts)]));
  } finally {
    await admin.end();
  }
}

async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Starts the suite, waits `settleSeconds`, samples `seconds`, stops it and cleans up; answers what it measured. */
export async function runIdleBench({ seconds = 60, settleSeconds = 300, sharedBroker = false }: IdleBenchOptions = {}): Promise<IdleBenchResult> {
  const build = spawnSync(process.execPath, ['tools/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
  const broker = sharedBroker ? undefined : await KafkaBrokerProcess.start();
  try {
    return await runIdleSuite(seconds, settleSeconds, broker);
  } finally {
    await broker?.close();
  }
}

async function runIdleSuite(seconds: number, settleSeconds: number, broker: KafkaBrokerProcess | undefined): Promise<IdleBenchResult> {
  const kafkaBrokers = broker?.brokers ?? testInfra.kafkaBrokers;

  const id = uniqueId('idle');
  const scratch = mkdtempSync(join(tmpdir(), 'omni-idle-'));
  const dbPrefix = `t_${id}`;
  const redisPrefix = `${id}:`;
  const topicPrefix = uniqueTopicPrefix('idle');
  const base = await freePortBlock(PORTS_TAKEN);
  // BENCH_PROFILE_DIR's profiles (their window is the last `seconds` before the stop) and BENCH_NODE_ARGS.
  const nodeArgs = benchNodeArgs();
  const env: NodeJS.ProcessEnv = {
    ...ownSuiteEnv({ portBase: base, dbPrefix, scratch, topicPrefix, redisPrefix, kafkaBrokers }),
    ...(nodeArgs ? { OMNI_NODE_ARGS: nodeArgs } : {}),
  };
  // Its own process group, so the suite can be killed whole if it does not stop when asked.
  const up: ChildProcess = spawn(process.execPath, ['tools/dev/up.mjs', '--no-demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  up.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  up.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const upExit = once(up, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const redis = new Redis(testInfra.redisUrl, { lazyConnect: true });
  try {
    const exitedEarly = upExit.then(([code, signal]): never => {
      throw new Error(`up.mjs exited (${String(signal ?? code)}) before the suite was up:\n${output.slice(-6000)}`);
    });
    exitedEarly.catch(() => undefined);
    await Promise.race([
      exitedEarly,
      waitFor(() => /^Gateway: http/m.test(output) || undefined, { timeoutMs: 300_000, intervalMs: 250, what: `the suite to be up; output so far:\n${output.slice(-6000)}` }),
    ]);
    await new Promise((resolveSettled) => setTimeout(resolveSettled, settleSeconds * 1000));

    const groups: Record<string, () => number[]> = {};
    for (const [name, pids] of Object.entries(suiteProcesses(up.pid!))) groups[name] = () => pids;
    // Backends are listed before the window and again at its end (one opened in between counts from zero).
    const backends = new Set(await postgresBackendsOf(dbPrefix));
    groups['postgres backends of its databases'] = () => [...backends];
    if (broker) groups['kafka broker (its own)'] = () => [broker.pid];
    const shared: Record<string, () => number[]> = {
      'postgres server processes (shared)': postgresServerProcesses,
      ...(broker ? {} : { 'kafka broker (shared)': () => pidsMatching('kafka.Kafka') }),
      'redis-server (shared)': () => pidsMatching('redis-server'),
    };
    Object.assign(groups, shared);
    const suiteNames = Object.keys(groups).filter((name) => !(name in shared));

    await redis.connect();
    const meter = new CpuMeter(groups);
    const switchesBefore = new Map<number, number>();
    for (const pids of Object.values(groups)) for (const pid of pids()) switchesBefore.set(pid, contextSwitches(pid));
    const xactsBefore = await transactionCounts(dbPrefix);
    const redisBefore = await redisCommands(redis);
    const machineBefore = machineJiffies();
    const brokerThreadsBefore = broker ? threadCpuMs(broker.pid) : undefined;
    meter.start();
    const startedAt = Date.now();
    await new Promise((resolveWindow) => setTimeout(resolveWindow, seconds * 1000));
    for (const pid of await postgresBackendsOf(dbPrefix)) backends.add(pid);
    const used = meter.stop();
    const brokerThreads = brokerThreadsBefore && broker ? threadCpuByName(brokerThreadsBefore, threadCpuMs(broker.pid)).slice(0, 10) : undefined;
    const elapsedS = (Date.now() - startedAt) / 1000;
    const machineAfter = machineJiffies();
    const redisAfter = await redisCommands(redis);
    const xactsAfter = await transactionCounts(dbPrefix);

    const processes: IdleProcessFigure[] = Object.entries(groups).map(([name, pidsOf]) => {
      const pids = pidsOf();
      const switches = pids.reduce((sum, pid) => sum + Math.max(0, contextSwitches(pid) - (switchesBefore.get(pid) ?? 0)), 0);
      return {
        name,
        pids,
        cpuMs: used[name],
        cpuPercentOfCore: round2((used[name] / (elapsedS * 1000)) * 100),
        contextSwitchesPerSecond: Math.round(switches / elapsedS),
      };
    });
    const cores = cpus().length;
    const sum = (list: IdleProcessFigure[]) => {
      const cpuMs = list.reduce((total, figure) => total + figure.cpuMs, 0);
      return {
        cpuMs,
        percentOfMachine: round2((cpuMs / (elapsedS * 1000 * cores)) * 100),
        contextSwitchesPerSecond: list.reduce((total, figure) => total + figure.contextSwitchesPerSecond, 0),
      };
    };
    const total = sum(processes);
    return {
      seconds: round1(elapsedS),
      settleSeconds,
      cores,
      processes: processes.sort((a, b) => b.cpuMs - a.cpuMs),
      total: { ...total, targetPercentOfMachine: TARGET_PERCENT_OF_MACHINE, withinTarget: total.percentOfMachine <= TARGET_PERCENT_OF_MACHINE },
      suiteOnly: sum(processes.filter((figure) => suiteNames.includes(figure.name))),
      databaseTransactionsPerSecond: Object.fromEntries(
        [...xactsAfter].map(([database, count]) => [database.slice(dbPrefix.length + 1), round1((count - (xactsBefore.get(database) ?? 0)) / elapsedS)]),
      ),
      redisCommandsPerSecond: round1((redisAfter - redisBefore) / elapsedS),
      machineBusyPercent: round1(((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * 100),
      ...(brokerThreads ? { brokerThreads } : {}),
    };
  } finally {
    await stopSuite(up, upExit);
    await cleanUp(dbPrefix, redisPrefix, broker ? undefined : topicPrefix);
    redis.disconnect();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Ctrl-C: SIGINT to up.mjs, which stops every service gracefully; the whole group is killed if that takes too long. */
async function stopSuite(up: ChildProcess, upExit: Promise<unknown>): Promise<void> {
  if (up.exitCode !== null || up.signalCode !== null) return;
  up.kill('SIGINT');
  const timer = setTimeout(() => {
    try {
      process.kill(-up.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 30_000);
  await upExit;
  clearTimeout(timer);
}

/** Drops the suite's databases, deletes its Redis keys and its topics (on the shared broker; its own goes with its data). */
async function cleanUp(dbPrefix: string, redisPrefix: string, topicPrefix: string | undefined): Promise<void> {
  await dropSuiteData(dbPrefix, APPS, redisPrefix);
  if (topicPrefix === undefined) return;
  const kafkaAdmin = new Kafka({ clientId: 'idle-bench', brokers: testInfra.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  try {
    await kafkaAdmin.connect();
    const topics = (await kafkaAdmin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    for (let i = 0; i < topics.length; i += 100) await kafkaAdmin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 30_000 });
  } catch (error) {
    console.warn(`idle bench: could not delete its topics (${topicPrefix}*): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await kafkaAdmin.disconnect().catch(() => undefined);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const [seconds, settleSeconds] = args.filter((arg) => !arg.startsWith('--')).map(Number);
  printBenchResult(runIdleBench({ seconds: seconds || undefined, settleSeconds: Number.isFinite(settleSeconds) ? settleSeconds : undefined, sharedBroker: args.includes('--shared-broker') }));
}
