/** Work that must run after the Nest app has closed (e.g. flushing traces); kept framework-free for tracing.ts. */
type ShutdownTask = { name: string; run: () => Promise<void> };

/** Upper bound of one task, so an unreachable collector cannot eat the whole shutdown budget. */
export const SHUTDOWN_TASK_TIMEOUT_MS = 2_000;

const tasks: ShutdownTask[] = [];

/** Registers work to run once the app has closed, in registration order. */
export function registerShutdownTask(name: string, run: () => Promise<void>): void {
  tasks.push({ name, run });
}

/** Runs every registered task, each bounded in time; a failing task is reported and does not stop the others. */
export async function runShutdownTasks(onError: (name: string, error: unknown) => void, timeoutMs = SHUTDOWN_TASK_TIMEOUT_MS): Promise<void> {
  for (const task of tasks.splice(0)) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        task.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      onError(task.name, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
