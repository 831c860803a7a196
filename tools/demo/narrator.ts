// Terminal narration of the demo scenario: numbered steps, what happened, a progress bar for long
// steps (redrawn in place on a terminal, a line per quarter otherwise), and the verdict of each step.

/** A step's claim that did not hold. */
export class ClaimFailed extends Error {}

/** Fails the step with `message` unless `condition` holds. */
export function claim(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ClaimFailed(message);
}

const tty = process.stdout.isTTY === true;
const paint = (code: number) => (text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);

/** One step's outcome. */
export interface StepResult {
  title: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export class Narrator {
  readonly results: StepResult[] = [];
  private progressShown = -1;
  private progressLabel = '';

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** A detail of the current step. */
  say(text: string): void {
    this.line(`   ${text}`);
  }

  /** A result the step checked. */
  ok(text: string): void {
    this.line(`   ${green('✓')} ${text}`);
  }

  /** Progress of a long step: `done` of `total`. */
  progress(label: string, done: number, total: number): void {
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
    if (tty) {
      this.write(`\r   ${label} ${bar}${done >= total ? '\n' : ''}`);
      return;
    }
    if (label !== this.progressLabel) {
      this.progressLabel = label;
      this.progressShown = -1;
    }
    const quarter = Math.min(4, Math.floor((done / Math.max(1, total)) * 4));
    if (quarter > this.progressShown) {
      this.progressShown = quarter;
      this.line(`   ${label} ${bar}`);
    }
  }

  /** Runs one numbered step; a failed claim or error marks it failed and the scenario goes on. */
  async step(title: string, intro: string, work: () => Promise<void>): Promise<boolean> {
    const n = this.results.length + 1;
    this.progressLabel = '';
    this.line();
    this.line(bold(`▶ Step ${n}: ${title}`));
    this.line(dim(`   ${intro}`));
    const started = Date.now();
    try {
      await work();
      this.results.push({ title, ok: true, ms: Date.now() - started });
      this.line(`   ${green('PASS')} ${dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}`);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.results.push({ title, ok: false, ms: Date.now() - started, error: message });
      if (tty) this.write('\n');
      this.line(`   ${red('FAIL')} ${message}`);
      return false;
    }
  }

  /** The closing summary; true when every step passed. */
  summary(): boolean {
    const passed = this.results.filter((r) => r.ok).length;
    this.line();
    for (const r of this.results) this.line(`${r.ok ? green('✓') : red('✗')} ${r.title}${r.ok ? '' : ` — ${r.error}`}`);
    this.line(bold(`${passed} of ${this.results.length} steps passed`));
    return passed === this.results.length;
  }
}
