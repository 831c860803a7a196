'use strict';
/**
 * The local Kafka broker: fetches its jars once with Maven, formats its storage once, starts it
 * detached from the copied jars, and stops only a broker this tool started (its pid file).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { Kafka, logLevel } = require('kafkajs');
const { serverProperties, log4jProperties, brokerCommand } = require('./kafka-config');
const { PrerequisiteError, messages, requireJava, requireMaven, reasonOf } = require('./checks');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a TCP connection to host:port is accepted within `timeoutMs`. */
function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Asks host:port for its cluster metadata. Returns { state: 'down' } when nothing listens,
 * { state: 'up', clusterId, brokers } when a broker answers, { state: 'unresponsive', reason } otherwise.
 */
async function probeBroker(host, port) {
  if (!(await portOpen(host, port))) return { state: 'down' };
  const kafka = new Kafka({
    clientId: 'omni-infra',
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null || cluster.controller < 0) {
      return { state: 'unresponsive', reason: 'no controller yet' };
    }
    return { state: 'up', clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch (error) {
    return { state: 'unresponsive', reason: reasonOf(error) };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Copies the Kafka jars from Maven into libsDir unless a completed copy is recorded. */
function ensureJars(k, log) {
  if (fs.existsSync(k.libsMarker)) return false;
  requireMaven();
  const partial = `${k.libsDir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  log(`fetching Kafka ${k.version} jars with Maven into ${k.libsDir}`);
  const started = Date.now();
  const result = spawnSync(
    'mvn',
    ['-B', '-q', '-f', k.pomFile, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.error || result.status !== 0) {
    fs.rmSync(partial, { recursive: true, force: true });
    const detail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new PrerequisiteError('MAVEN_FAILED', messages.mavenFailed(detail || String(result.error)));
  }
  fs.mkdirSync(k.libsDir, { recursive: true });
  // Only add missing jars: a broker may be running from this folder, and its open jars must stay.
  for (const file of fs.readdirSync(partial)) {
    const target = path.join(k.libsDir, file);
    if (!fs.existsSync(target)) fs.renameSync(path.join(partial, file), target);
  }
  fs.rmSync(partial, { recursive: true, force: true });
  fs.writeFileSync(k.libsMarker, `${new Date().toISOString()}\n`);
  log(`fetched the Kafka jars in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return true;
}

function runJava(k, args) {
  const result = spawnSync('java', ['-cp', `${k.libsDir}/*`, ...args], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`java ${args.slice(0, 2).join(' ')} failed: ${result.stderr || result.stdout || result.error}`);
  }
  return result.stdout.trim();
}

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64, as `kafka-storage random-uuid` prints,
 * made here to save a JVM start. A leading '-' would read as a command-line flag, so it is avoided.
 */
function randomClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the KRaft storage once: a data dir with meta.properties is already formatted. */
function ensureFormatted(k) {
  if (fs.existsSync(path.join(k.dataDir, 'meta.properties'))) return false;
  const clusterId = randomClusterId();
  runJava(k, ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', k.propertiesFile, '--ignore-formatted']);
  return true;
}

function readPid(pidFile) {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Whether `pid` is a broker started with this properties file (guards against a reused pid). */
function isOurBroker(pid, k) {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka') && cmdline.includes(k.propertiesFile);
  } catch {
    return true; // no /proc: trust the pid file
  }
}

function tailOf(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Takes the start lock, or returns the pid of the live process that holds it. */
function takeLock(lockFile) {
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return null;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = readPid(lockFile);
      if (holder !== null && isAlive(holder)) return holder;
      fs.rmSync(lockFile, { force: true }); // left by a run that died: take it over
    }
  }
}

async function waitUntilUp(k, exited) {
  const where = `${k.host}:${k.port}`;
  const logFile = path.join(k.logsDir, 'server.log');
  const deadline = Date.now() + k.startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited && exited.code !== undefined) {
      throw new PrerequisiteError('KAFKA_EXITED', messages.kafkaExited(exited.code, logFile, tailOf(path.join(k.logsDir, 'kafka.out')) || tailOf(logFile)));
    }
    const probe = await probeBroker(k.host, k.port);
    if (probe.state === 'up') return probe;
    await sleep(250);
  }
  throw new PrerequisiteError('KAFKA_NOT_STARTING', messages.kafkaNotStarting(where, Math.round(k.startTimeoutMs / 1000), logFile, tailOf(logFile)));
}

/**
 * Makes sure a broker answers on k.host:k.port: reuses one that does, otherwise fetches jars,
 * writes its config, formats storage and starts it. Returns what it did.
 */
async function ensureBroker(k, log) {
  const where = `${k.host}:${k.port}`;
  const first = await probeBroker(k.host, k.port);
  if (first.state === 'up') return { action: 'reused', clusterId: first.clusterId };

  fs.mkdirSync(k.logsDir, { recursive: true });
  const holder = takeLock(k.lockFile);
  if (holder !== null) {
    log(`another run (pid ${holder}) is starting Kafka on ${where}; waiting for it`);
    const probe = await waitUntilUp(k, null);
    return { action: 'reused', clusterId: probe.clusterId };
  }
  try {
    const again = await probeBroker(k.host, k.port);
    if (again.state === 'up') return { action: 'reused', clusterId: again.clusterId };
    const ownPid = readPid(k.pidFile);
    if (ownPid !== null && isOurBroker(ownPid, k)) {
      log(`Kafka (pid ${ownPid}) is still starting on ${where}; waiting for it`);
      const probe = await waitUntilUp(k, null);
      return { action: 'reused', clusterId: probe.clusterId, pid: ownPid };
    }
    if (first.state === 'unresponsive') {
      throw new PrerequisiteError('KAFKA_PORT_TAKEN', messages.kafkaPortTaken(where, first.reason));
    }
    requireJava();
    const fetchedJars = ensureJars(k, log);
    fs.mkdirSync(k.dataDir, { recursive: true });
    fs.writeFileSync(k.propertiesFile, serverProperties(k));
    fs.writeFileSync(k.log4jFile, log4jProperties(k.logsDir));
    const formatStarted = Date.now();
    const formatted = ensureFormatted(k);
    if (formatted) log(`formatted KRaft storage in ${k.dataDir} in ${((Date.now() - formatStarted) / 1000).toFixed(1)}s`);

    const { command, args } = brokerCommand(k);
    const out = fs.openSync(path.join(k.logsDir, 'kafka.out'), 'a');
    const child = spawn(command, args, { cwd: k.instanceDir, detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const exited = {};
    child.once('exit', (code, signal) => {
      exited.code = signal ?? code;
    });
    child.unref();
    fs.writeFileSync(k.pidFile, String(child.pid));
    log(`started Kafka on ${where} (pid ${child.pid}); logs in ${k.logsDir}`);
    const probe = await waitUntilUp(k, exited);
    return { action: 'started', pid: child.pid, fetchedJars, formatted, clusterId: probe.clusterId };
  } finally {
    fs.rmSync(k.lockFile, { force: true });
  }
}

/** Stops the broker this tool started (SIGTERM, then SIGKILL after `graceMs`); never another one. */
async function stopBroker(k, graceMs = 30_000) {
  const pid = readPid(k.pidFile);
  if (pid === null) return { action: 'none', reason: 'no broker started by this tool (no pid file)' };
  if (!isOurBroker(pid, k)) {
    fs.rmSync(k.pidFile, { force: true });
    return { action: 'none', reason: `pid ${pid} from the pid file is not running this broker; removed the stale pid file` };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(pid)) await sleep(200);
  let killed = false;
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    killed = true;
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(k.pidFile, { force: true });
  return { action: killed ? 'killed' : 'stopped', pid };
}

/** The broker's state: whether it answers, and whether this tool started it. */
async function brokerStatus(k) {
  const probe = await probeBroker(k.host, k.port);
  const pid = readPid(k.pidFile);
  const ours = pid !== null && isOurBroker(pid, k);
  return { ...probe, managedPid: ours ? pid : null, jarsReady: fs.existsSync(k.libsMarker) };
}

module.exports = { randomClusterId, probeBroker, ensureBroker, stopBroker, brokerStatus, portOpen };
