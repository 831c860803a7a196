/** How a participant finds and asks its coordinator about branches held past their deadline. */
export interface HeldBranchSettings {
  /** The coordinator's internal base URL (TCC_COORDINATOR_URL). */
  coordinatorUrl: string;
  /** How often held branches past their deadline are looked at (TCC_HELD_BRANCH_CHECK_INTERVAL_MS; 0 disables it here). */
  intervalMs: number;
}

/** The order service's internal address when it runs on this machine (its default port). */
export const LOCAL_COORDINATOR_URL = 'http://127.0.0.1:3003';

/**
 * Reads the held-branch settings every participant shares. Outside production the coordinator
 * defaults to the local order service; in production TCC_COORDINATOR_URL is required. Throws naming
 * each bad variable, like every service's configuration.
 */
export function heldBranchSettingsFrom(env: NodeJS.ProcessEnv = process.env): HeldBranchSettings {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const rawUrl = env.TCC_COORDINATOR_URL?.trim() ?? '';
  let coordinatorUrl: string | null = rawUrl || (production ? null : LOCAL_COORDINATOR_URL);
  if (rawUrl && !/^https?:\/\/\S+$/.test(rawUrl)) {
    problems.push('TCC_COORDINATOR_URL must be an http(s) URL');
    coordinatorUrl = null;
  } else if (!coordinatorUrl) {
    problems.push('TCC_COORDINATOR_URL is required when NODE_ENV=production (the order service internal URL)');
  }
  const rawInterval = env.TCC_HELD_BRANCH_CHECK_INTERVAL_MS?.trim() ?? '';
  const intervalMs = rawInterval === '' ? 1000 : Number(rawInterval);
  if (!Number.isInteger(intervalMs) || intervalMs < 0 || intervalMs > 3_600_000) {
    problems.push('TCC_HELD_BRANCH_CHECK_INTERVAL_MS must be an integer number of milliseconds between 0 and 3600000');
  }
  if (problems.length > 0 || !coordinatorUrl) throw new Error(`invalid TCC participant configuration: ${problems.join('; ')}`);
  return { coordinatorUrl, intervalMs };
}

/** Nest injection token of a participant's HeldBranchSettings. */
export const HELD_BRANCH_SETTINGS = Symbol('HELD_BRANCH_SETTINGS');
