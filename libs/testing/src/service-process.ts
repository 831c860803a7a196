import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { waitFor } from './wait-for';

const root = resolve(__dirname, '..', '..', '..');

/** A pino line at error or fatal level (labels or numbers). */
const ERROR_LINE = /"level":"(error|fatal)"|"level":50|"level":60/;

/** A service run as production runs it: its own process from main.ts (swc-node compiles on the fly). */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private output = '';
  private readonly errors: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url = '';

  constructor(
    readonly name: string,
    main: string,
    env: Record<string, string>,
    nodeArgs: readonly string[] = [],
    /** With `logFile`, every line the process writes is also appended there, whole (the kept output is bounded). */
    options: { logFile?: string } = {},
  ) {
    this.child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', main], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (): ((chunk: Buffer) => void) => {
      let partial = '';
      return (chunk) => {
        const text = chunk.toString();
        if (options.logFile) appendFileSync(options.logFile, text);
        // Keep the head (start-up, port) and a bounded tail for failure messages.
        this.output = this.output.length < 200_000 ? this.output + text : this.output.slice(0, 20_000) + this.output.slice(-100_000) + text;
        // Error lines are kept apart, so a burst of access logs cannot push them out of the tail.
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (ERROR_LINE.test(line)) this.errors.push(line);
        if (this.errors.length > 50) this.errors.splice(0, this.errors.length - 50);
      };
    };
    this.child.stdout!.on('data', keep());
    this.child.stderr!.on('data', keep());
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    if (env.PORT && env.PORT !== '0') this.url = `http://127.0.0.1:${env.PORT}`;
  }

  /** Waits for the "listening on" line and readiness. */
  async ready(timeoutMs = 180_000): Promise<this> {
    // A process that dies while starting (bad config, or killed from outside) fails at once, saying how.
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`${this.name} exited while starting (code ${code}, signal ${signal}); output:\n${this.output.slice(-4000)}`);
    });
    died.catch(() => undefined);
    return Promise.race([this.start(timeoutMs), died]);
  }

  private async start(timeoutMs: number): Promise<this> {
    // A fixed PORT lets a quiet process (LOG_LEVEL=warn, no "listening" line) be found too.
    if (this.url) {
      await waitFor(async () => (await fetch(`${this.url}/health/live`)).ok, { timeoutMs, intervalMs: 200, what: `${this.name} to listen; output:\n${this.output.slice(-4000)}` });
      return this;
    }
    const port = await waitFor(() => Number(/listening on http:\/\/[^:]+:(\d+)/.exec(this.output)?.[1] ?? 0) || undefined, {
      timeoutMs,
      intervalMs: 100,
      what: `${this.name} to listen; output:\n${this.output.slice(-4000)}`,
    });
    // Nest listens only after bootstrap (migrations ran, relay and consumers started): enough to
    // drive it. Readiness also probes the broker, which a loaded machine can make flap.
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The process id (for CPU accounting). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** True until the process exits. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Recent output (for failure messages). */
  tail(chars = 3000): string {
    return this.output.slice(-chars);
  }

  /** The last error and fatal log lines (for failure messages). */
  errorLines(count = 5): string {
    return this.errors.slice(-count).join('\n');
  }

  /** Sends `signal` and returns at once (SIGSTOP freezes the process, SIGCONT thaws it). */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Kills the process (SIGKILL: no shutdown hooks) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.exited;
  }
}
