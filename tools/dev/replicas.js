'use strict';
/**
 * Replicas of the local suite (`npm run up -- --replicas order=2,inventory=2`, or OMNI_REPLICAS):
 * how many processes each service runs, the port of each, and the round-robin balancer that keeps
 * the service's usual port answering for all of them. Plain CommonJS, like tools/infra, so
 * tools/dev/up.mjs runs it without a TypeScript toolchain.
 *
 * Port scheme: a service with one replica listens on its usual port (gateway port + offset). With
 * n > 1 replicas, replica k (1…n) listens on usual port + 10·k (order with 2: 3013 and 3023), and
 * the usual port (3003) is a local TCP round-robin balancer in front of them, as a Kubernetes
 * Service is in front of pods: a caller with one address reaches every replica.
 */
const net = require('node:net');

/** Most replicas of one service (ports usual + 10 … usual + 90 stay inside the suite's block of 100). */
const MAX_REPLICAS = 9;

/** A bad --replicas / OMNI_REPLICAS value; the message names the part that is wrong. */
class ReplicasError extends Error {}

/**
 * Parses `order=2,inventory=2` into a Map of service → replica count, for the given services
 * (every service not named keeps 1). Empty or undefined means one replica each.
 */
function parseReplicas(spec, services) {
  const counts = new Map(services.map((name) => [name, 1]));
  if (spec === undefined || spec.trim() === '') return counts;
  const seen = new Set();
  for (const part of spec.split(',')) {
    const match = /^\s*([a-z0-9-]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new ReplicasError(`replicas: "${part.trim()}" is not <service>=<count> (e.g. order=2,inventory=2)`);
    const [, name, raw] = match;
    if (!counts.has(name)) throw new ReplicasError(`replicas: unknown service "${name}"; one of ${services.join(', ')}`);
    if (seen.has(name)) throw new ReplicasError(`replicas: "${name}" is named twice`);
    const count = Number(raw);
    if (!Number.isInteger(count) || count < 1 || count > MAX_REPLICAS) throw new ReplicasError(`replicas: ${name}=${raw} must be between 1 and ${MAX_REPLICAS}`);
    seen.add(name);
    counts.set(name, count);
  }
  return counts;
}

/** The replicas spec from the command line (`--replicas X` or `--replicas=X`), else from OMNI_REPLICAS. */
function replicasSpec(argv, env) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--replicas') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ReplicasError('replicas: --replicas needs a value such as order=2,inventory=2');
      return value;
    }
    if (argv[i].startsWith('--replicas=')) return argv[i].slice('--replicas='.length);
  }
  return env.OMNI_REPLICAS;
}

/** The ports of a service's replicas: its usual port alone, or usual + 10·k for k = 1…count. */
function replicaPorts(usualPort, count) {
  if (count === 1) return [usualPort];
  return Array.from({ length: count }, (_, k) => usualPort + 10 * (k + 1));
}

/** The name (and log file stem) of replica k (0-based) of `count`: `order` alone, else `order-1`, `order-2`… */
function replicaName(app, k, count) {
  return count === 1 ? app : `${app}-${k + 1}`;
}

/**
 * A TCP round-robin balancer on 127.0.0.1:`port` in front of `targets` (ports): each connection goes
 * to the next replica that accepts it (a dead one is skipped, so a kill -9 costs only the
 * connections it held). Resolves to the listening server once it listens.
 */
function startBalancer(port, targets, host = '127.0.0.1') {
  let next = 0;
  const server = net.createServer((client) => {
    client.pause();
    let tried = 0;
    const attempt = () => {
      const target = targets[next++ % targets.length];
      tried++;
      const upstream = net.connect({ host: '127.0.0.1', port: target });
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        upstream.on('error', end);
        client.on('error', end);
        upstream.on('close', end);
        client.on('close', end);
      });
      upstream.once('error', () => {
        upstream.destroy();
        if (tried < targets.length) attempt();
        else client.destroy();
      });
    };
    client.on('error', () => client.destroy());
    attempt();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

module.exports = { MAX_REPLICAS, ReplicasError, parseReplicas, replicasSpec, replicaPorts, replicaName, startBalancer };
