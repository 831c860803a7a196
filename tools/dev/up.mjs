// Starts every built service (dist/apps/<app>/src/main.js) as a child process, waits until each
// answers /health/ready, loads the demo data when the databases are empty (tools/demo/seed.ts),
// prints the demo channel keys and the gateway URL, and on Ctrl-C (or SIGTERM) stops them all
// gracefully. Each service's JSON log goes to .cache/logs/<app>.log. Two platform simulators
// (tools/platform-simulator: a delivery platform on the gateway port + 7, a marketplace on + 8) are
// started first and wired to the O2O connector, unless O2O_SIMULATORS=0 or the environment names a
// real platform (O2O_DELIVERY_BASE_URL / O2O_MARKETPLACE_BASE_URL). They are local tools, never
// part of an image.
//
//   node tools/dev/up.mjs [--no-demo] [--replicas order=2,inventory=2]
//
// --replicas (or OMNI_REPLICAS) runs several processes of a service (tools/dev/replicas.js): replica
// k of n listens on the service's usual port + 10·k and logs to <service>-k.log; the usual port is a
// round-robin balancer in front of them, and TCC_COORDINATOR_URL lists every order replica.
//
// A second suite can run beside the first, fully isolated, with:
//   OMNI_PORT_BASE      gateway port; the others follow (+1 catalog … +6 o2o-connector). Default 3000.
//   OMNI_DB_PREFIX      databases are <prefix>_<service> (created when missing). Default omni.
//   KAFKA_TOPIC_PREFIX, REDIS_KEY_PREFIX   passed to every service.
//   OMNI_LOG_DIR        where the service logs go. Default .cache/logs.
//   OMNI_DEMO_DIR       where the demo keys and ids are kept. Default .cache/demo.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { ReplicasError, parseReplicas, replicasSpec, replicaName, replicaPorts, startBalancer } = require('./replicas.js');
const args = new Set(process.argv.slice(2));
const loadDemo = !args.has('--no-demo') && process.env.OMNI_DEMO !== '0';

/** Every service with its offset from the gateway port; the gateway is the public entry. */
const OFFSETS = [
  ['catalog', 1],
  ['inventory', 2],
  ['order', 3],
  ['pricing', 4],
  ['member', 5],
  ['o2o-connector', 6],
  ['gateway', 0],
];

function portBase() {
  const raw = process.env.OMNI_PORT_BASE;
  if (raw === undefined || raw === '') return 3000;
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 65_529) {
    console.error(`OMNI_PORT_BASE must be an integer between 1024 and 65529, got "${raw}"`);
    process.exit(2);
  }
  return base;
}

const base = portBase();
/** Every service with its local port. */
export const SERVICES = OFFSETS.map(([app, offset]) => [app, base + offset]);
/** The address callers use: the service itself, or the balancer in front of its replicas. */
const urlOf = (app) => `http://127.0.0.1:${SERVICES.find(([name]) => name === app)[1]}`;

let replicaCounts;
try {
  replicaCounts = parseReplicas(replicasSpec(process.argv.slice(2), process.env), SERVICES.map(([app]) => app));
} catch (error) {
  if (!(error instanceof ReplicasError)) throw error;
  console.error(error.message);
  process.exit(2);
}
/** Every process to start: [name, app, port], one per replica. */
const PROCESSES = SERVICES.flatMap(([app, port]) => {
  const count = replicaCounts.get(app);
  return replicaPorts(port, count).map((replicaPort, k) => [replicaName(app, k, count), app, replicaPort]);
});
/** The services with more than one replica: [app, balancer port, replica ports]. */
const BALANCED = SERVICES.filter(([app]) => replicaCounts.get(app) > 1).map(([app, port]) => [app, port, replicaPorts(port, replicaCounts.get(app))]);
/** Every replica's own address, comma-separated (for clients that take several, such as TCC_COORDINATOR_URL). */
const everyReplicaUrl = (app) => PROCESSES.filter(([, of]) => of === app).map(([, , port]) => `http://127.0.0.1:${port}`).join(',');

const dbPrefix = process.env.OMNI_DB_PREFIX ?? '';
if (dbPrefix !== '' && !/^[a-z][a-z0-9_]{0,40}$/.test(dbPrefix)) {
  console.error(`OMNI_DB_PREFIX must be 1-41 characters of a-z 0-9 _ starting with a letter, got "${dbPrefix}"`);
  process.exit(2);
}
const databaseOf = (app) => `${dbPrefix || 'omni'}_${app.replace(/-/g, '_')}`;
const postgresAdminUrl = process.env.OMNI_POSTGRES_URL || process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
function databaseUrl(app) {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${databaseOf(app)}`;
  return url.toString();
}

const logDir = resolve(root, process.env.OMNI_LOG_DIR || join('.cache', 'logs'));
mkdirSync(logDir, { recursive: true });

/**
 * Local settings the suite runs with unless the environment sets them: the demo channels in every
 * stock-changed, stock-based routing for shipping orders, and a short payment window (and a short
 * grace for late payment callbacks after it) so an unpaid order is released while you watch
 * (production keeps its 15-minute window and 60-second grace).
 */
const LOCAL_DEFAULTS = {
  INVENTORY_CHANNELS: 'app,tmall,wechat,pos,eleme',
  ORDER_PAYMENT_WINDOW_MS: '15000',
  ORDER_PAYMENT_GRACE_MS: '3000',
};
/**
 * The simulated platforms: shape, our channel code for it, its port offset and the connector's
 * environment prefix. Their app keys and secrets are local values, known to both sides.
 */
const SIMULATED_PLATFORMS = [
  { shape: 'delivery', channel: 'eleme', offset: 7, prefix: 'O2O_DELIVERY' },
  { shape: 'marketplace', channel: 'tmall', offset: 8, prefix: 'O2O_MARKETPLACE' },
].filter((platform) => process.env.O2O_SIMULATORS !== '0' && !process.env[`${platform.prefix}_BASE_URL`]);
const simulatorUrl = (platform) => `http://127.0.0.1:${base + platform.offset}`;

const paymentWindowMs = Number(process.env.ORDER_PAYMENT_WINDOW_MS || LOCAL_DEFAULTS.ORDER_PAYMENT_WINDOW_MS);

function serviceEnv(app, port) {
  const env = { ...LOCAL_DEFAULTS, ...process.env, PORT: String(port) };
  if (dbPrefix !== '') env.DATABASE_URL = databaseUrl(app);
  if (app === 'gateway') {
    for (const upstream of ['catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector']) {
      env[`${upstream.toUpperCase().replace(/-/g, '_')}_URL`] = urlOf(upstream);
    }
  }
  if (app === 'order') env.ORDER_INVENTORY_URL ??= urlOf('inventory');
  if (app === 'o2o-connector') {
    env.O2O_ORDER_URL ??= urlOf('order');
    for (const platform of SIMULATED_PLATFORMS) {
      env[`${platform.prefix}_BASE_URL`] = simulatorUrl(platform);
      env[`${platform.prefix}_APP_KEY`] = `local-${platform.shape}-app`;
      env[`${platform.prefix}_SECRET`] = `local-${platform.shape}-secret`;
      env[`${platform.prefix}_CHANNEL`] = platform.channel;
    }
  }
  // The saga's participants ask the coordinator about branches they hold past their deadline.
  // Each replica is asked in turn, so every order replica is listed (a dead one is skipped).
  if (app === 'inventory' || app === 'pricing' || app === 'member') env.TCC_COORDINATOR_URL ??= everyReplicaUrl('order');
  // Member reads pricing's coupon templates for its scheduled member-day and birthday coupons.
  if (app === 'member') env.MEMBER_PRICING_URL ??= urlOf('pricing');
  return env;
}

const children = new Map();

/** Starts one platform simulator (TypeScript run directly: it is a tool, not a built service). */
function startSimulator(platform) {
  const name = `platform-simulator-${platform.shape}`;
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('tools', 'platform-simulator', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      SIM_SHAPE: platform.shape,
      SIM_PORT: String(base + platform.offset),
      SIM_APP_KEY: `local-${platform.shape}-app`,
      SIM_SECRET: `local-${platform.shape}-secret`,
      // Through the gateway, the one public entry, as in production.
      SIM_WEBHOOK_URL: `${urlOf('gateway')}/webhooks/${platform.channel}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.on('close', (code, signal) => {
    children.delete(name);
    log.end();
    if (!stopping) console.error(`✗ ${name} exited (${signal ?? code}); see ${join(logDir, `${name}.log`)}`);
  });
  children.set(name, child);
  return [name, base + platform.offset];
}

/** A simulator answers its state route once it listens. */
async function simulatorReady(name, port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(name)) return false;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/_sim/state`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
let seeding;
let stopping = false;
/** Set once every process answered ready. */
let started = false;
/** The balancers in front of services with several replicas. */
const balancers = [];
/** Set when a service exits on its own: resolves never (the suite stops and this process exits). */
let failure;

/** Starts one replica `name` of `app` on `port`; its log is <name>.log. */
function start(name, app, port) {
  const main = join(root, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  // OMNI_NODE_ARGS: extra Node flags for every service (e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`, which NODE_OPTIONS refuses).
  const nodeArgs = (process.env.OMNI_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', main], {
    cwd: root,
    env: serviceEnv(app, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Both streams write the one log, which ends only when the child and its output are gone.
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.on('close', (code, signal) => {
    children.delete(name);
    const logged = new Promise((resolveEnd) => log.end(resolveEnd));
    if (stopping) return;
    const file = join(logDir, `${name}.log`);
    const others = PROCESSES.filter(([other, of]) => of === app && other !== name && children.has(other)).map(([other]) => other);
    if (others.length > 0 && started) {
      // A replica that dies once the suite is up leaves its service to the others, as in a cluster.
      void logged.then(() => console.error(`✗ ${name} exited (${signal ?? code}); ${app} keeps running on ${others.join(', ')}; see ${file}`));
      return;
    }
    const reported = logged.then(() => console.error(`✗ ${name} exited (${signal ?? code}); the end of ${file}:\n${logTail(file)}`));
    failure ??= reported.then(() => stopAll(1));
  });
  children.set(name, child);
}

/** The last lines of a service log, for the reason it stopped. */
function logTail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
  } catch (error) {
    return `    (unreadable: ${error.message})`;
  }
}

async function ready(app, port, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(app)) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

let stopped;
/** Stops every service (once; later calls get the same promise) and exits with `code`. */
function stopAll(code) {
  stopped ??= stopServices(code);
  return stopped;
}

async function stopServices(code) {
  stopping = true;
  console.log('\n› stopping services');
  seeding?.kill('SIGTERM');
  for (const balancer of balancers) balancer.close();
  const exits = [...children.values()].map((child) => new Promise((r) => child.once('close', r)));
  for (const child of children.values()) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 12_000);
  await Promise.all(exits);
  clearTimeout(timer);
  console.log('› all services stopped');
  process.exit(code);
}

/** Stops with a clear message when a service's port is taken (another suite, or any other program). */
async function ensurePortsFree() {
  const taken = [];
  const ports = [...PROCESSES.map(([name, , port]) => [name, port]), ...BALANCED.map(([app, port]) => [`${app} balancer`, port])];
  for (const [app, port] of [...ports, ...SIMULATED_PLATFORMS.map((platform) => [`platform-simulator-${platform.shape}`, base + platform.offset])]) {
    const free = await new Promise((resolveFree) => {
      const probe = createServer();
      probe.once('error', () => resolveFree(false));
      probe.listen(port, '0.0.0.0', () => probe.close(() => resolveFree(true)));
    });
    if (!free) taken.push(`${port} (${app})`);
  }
  if (taken.length === 0) return;
  console.error(`✗ port ${taken.join(', ')} already in use: is a suite already up? Stop it, or pick other ports with OMNI_PORT_BASE=<port>`);
  process.exit(2);
}

/** Creates the prefixed databases that do not exist yet (the default ones come from `npm run infra:up`). */
async function ensurePrefixedDatabases() {
  if (dbPrefix === '') return;
  const { ensureDatabases } = require('../infra/lib/stores.js');
  const { created } = await ensureDatabases(postgresAdminUrl, SERVICES.map(([app]) => databaseOf(app)));
  if (created.length > 0) console.log(`› created databases ${created.join(', ')}`);
}

/** True when the catalog holds no product yet: a fresh suite that gets the demo data. */
async function catalogIsEmpty() {
  // The export is an internal route: sign a service credential as the services do (libs/platform
  // service-auth: HS256, the first SERVICE_AUTH_KEY, else the development key DEV_SERVICE_AUTH_KEY).
  const { JwtService } = require('@nestjs/jwt');
  const key = (process.env.SERVICE_AUTH_KEY || 'omni-dev-service-auth-key-not-for-production').split(',')[0].trim();
  const token = new JwtService({}).sign({ iss: 'dev-up', aud: 'catalog' }, { secret: key, algorithm: 'HS256', expiresIn: 60 });
  const res = await fetch(`${urlOf('catalog')}/internal/products/export?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`catalog answered ${res.status} to the product export`);
  return (await res.json()).items.length === 0;
}

/** Runs tools/demo/seed.ts (`--keys-only` when the suite already has data); resolves to its exit code. */
function runSeed(keysOnly) {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join('tools', 'demo', 'seed.ts'), ...(keysOnly ? ['--keys-only'] : [])], {
      cwd: root,
      env: { ...process.env, OMNI_PORT_BASE: String(base), GATEWAY_URL: urlOf('gateway') },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    seeding = child;
    child.on('exit', (code, signal) => {
      seeding = undefined;
      resolveExit(signal ? 1 : (code ?? 1));
    });
  });
}

/** Prints the demo channel keys the seed kept (demo only: they are secrets of this local suite). */
function printDemoKeys() {
  const demoDir = resolve(root, process.env.OMNI_DEMO_DIR || join('.cache', 'demo'));
  const file = join(demoDir, 'demo.json');
  if (!existsSync(file)) return;
  const demo = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(demo.keys) || demo.keys.length === 0) return;
  console.log('\nDemo channel API keys — for this local demo only, never for real channels:');
  for (const k of demo.keys) console.log(`  ${k.label.padEnd(34)} ${k.envName}=${k.key}`);
  console.log(`Load them into a shell with: source ${join(demoDir, 'env.sh').replace(`${root}/`, '')}`);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const startedAt = Date.now();
await ensurePortsFree();
await ensurePrefixedDatabases();
const simulators = SIMULATED_PLATFORMS.map((platform) => startSimulator(platform));
for (const [, port, targets] of BALANCED) balancers.push(await startBalancer(port, targets));
for (const [name, app, port] of PROCESSES) start(name, app, port);
const results = [
  ...(await Promise.all(PROCESSES.map(async ([name, , port]) => [name, port, await ready(name, port)]))),
  ...(await Promise.all(simulators.map(async ([name, port]) => [name, port, await simulatorReady(name, port)]))),
];
const failed = results.filter(([, , ok]) => !ok);
if (failure) await failure;
if (failed.length > 0) {
  console.error(`✗ not ready: ${failed.map(([app]) => app).join(', ')} (logs in ${logDir})`);
  await stopAll(1);
}
started = true;
for (const [app, port] of results) console.log(`✓ ${app.padEnd(16)} http://127.0.0.1:${port}`);
for (const [app, port, targets] of BALANCED) console.log(`  ${app} answers on http://127.0.0.1:${port}, round-robin over its ${targets.length} replicas (logs ${app}-1.log …)`);
if (simulators.length > 0) console.log('  (the platform simulators play the delivery platform and the marketplace for the O2O connector; local only)');
console.log(`\nomni-retail is up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

if (loadDemo && !stopping) {
  try {
    const empty = await catalogIsEmpty();
    if (empty) console.log('\n› the databases are empty: loading the demo data (npm run up -- --no-demo skips it)');
    const code = await runSeed(!empty);
    if (code !== 0 && !stopping) console.error(`✗ the demo data could not be loaded (exit ${code}); the services keep running`);
    else printDemoKeys();
  } catch (error) {
    console.error(`✗ the demo data could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (!stopping) {
  console.log(`\nPayment window: ${Math.round(paymentWindowMs / 1000)} s (a local setting so unpaid orders are released while you watch; ORDER_PAYMENT_WINDOW_MS changes it)`);
  console.log(`Gateway: ${urlOf('gateway')}   (OpenAPI at /docs)   Ctrl-C stops everything.`);
}
