import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { waitFor } from '@omni/testing';

/** A service started from its main.ts in its own process, as production runs it. */
export class ServiceProcess {
  readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<unknown>;

  constructor(readonly app: string, env: Record<string, string>) {
    const root = resolve(__dirname, '../../../..');
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      // Keep the tail only: enough to report a failed start.
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = once(this.child, 'exit');
  }

  /** The base URL once the service logged that it listens. */
  async url(timeoutMs = 150_000): Promise<string> {
    const port = await waitFor(
      () => {
        if (this.child.exitCode !== null) throw new Error(`${this.app} exited with ${this.child.exitCode}:\n${this.output}`);
        return Number(/listening on http:\/\/[^:]+:(\d+)/.exec(this.output)?.[1] ?? 0) || undefined;
      },
      { timeoutMs, intervalMs: 100, what: `${this.app} to listen; output so far:\n${this.output.slice(-3000)}` },
    );
    return `http://127.0.0.1:${port}`;
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
