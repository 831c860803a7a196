import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { waitFor } from './wait-for';

// tools/infra is the plain-JS infrastructure script shared with `npm run infra:up`, not an Nx project.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const infra = require('../../../tools/infra/infra.js') as typeof import('../../../tools/infra/infra');

type KafkaSettings = ReturnType<typeof infra.resolveSettings>['kafka'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A real single-node KRaft broker of a suite's own (its own ports and data directory), started
 * with the same code as `npm run infra:up`, so a failure test can kill it (-9), freeze it
 * (SIGSTOP) and bring it back on the same data without touching the broker every other suite
 * shares.
 */
export class KafkaBrokerProcess {
  private constructor(private readonly settings: KafkaSettings) {}

  /** Starts a broker on free loopback ports. */
  static async start(): Promise<KafkaBrokerProcess> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    const settings = infra.resolveSettings({ ...process.env, OMNI_KAFKA_PORT: String(port), OMNI_KAFKA_CONTROLLER_PORT: String(controllerPort) }).kafka;
    rmSync(settings.instanceDir, { recursive: true, force: true });
    const broker = new KafkaBrokerProcess(settings);
    await broker.ensure();
    return broker;
  }

  /** Its bootstrap address. */
  get brokers(): string[] {
    return [`${this.settings.host}:${this.settings.port}`];
  }

  /** The broker's process id. */
  get pid(): number {
    return Number(readFileSync(this.settings.pidFile, 'utf8').trim());
  }

  /** kill -9: the broker dies at once, its connections reset. */
  async kill(): Promise<void> {
    const pid = this.pid;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, intervalMs: 50, what: `broker ${pid} to die` });
  }

  /** SIGSTOP: the broker freezes; its connections stay open and nothing answers. */
  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
  }

  /** SIGCONT after `pause`. */
  resume(): void {
    process.kill(this.pid, 'SIGCONT');
  }

  /** Starts it again on the same data after `kill`; resolves once it answers. */
  async restart(): Promise<void> {
    await this.ensure();
  }

  /** Stops it and deletes its data. */
  async close(): Promise<void> {
    try {
      this.resume();
    } catch {
      // not running
    }
    await infra.stopBroker(this.settings, 5000);
    rmSync(this.settings.instanceDir, { recursive: true, force: true });
  }

  private async ensure(): Promise<void> {
    await infra.ensureBroker(this.settings, () => undefined);
  }
}
