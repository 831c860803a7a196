/** How a participant finds and asks its coordinator about branches held past their deadline. */
export interface HeldBranchSettings {
  /**
   * The coordinator's internal base URLs (TCC_COORDINATOR_URL, comma-separated): one Service
   * address on Kubernetes, or each replica's address where there is no load balancer.
   */
  coordinatorUrls: string[];
  /** How often held branches past their deadline are looked at (TCC_HELD_BRANCH_CHECK_INTERVAL_MS; 0 disables it here). */
  intervalMs: number;
}

/** The service that coordinates the saga (order): the audience of the credential a status query carries. */
export const TCC_COORDINATOR_SERVICE = 'order';

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
  const raw = (env.TCC_COORDINATOR_URL ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  const coordinatorUrls = raw.length > 0 ? raw : production ? [] : [LOCAL_COORDINATOR_URL];
  if (raw.some((u) => !/^https?:\/\/\S+$/.test(u))) {
    problems.push('TCC_COORDINATOR_URL must be a comma-separated list of http(s) URLs');
  } else if (coordinatorUrls.length === 0) {
    problems.push('TCC_COORDINATOR_URL is required when NODE_ENV=production (the order service internal URL)');
  }
  const rawInterval = env.TCC_HELD_BRANCH_CHECK_INTERVAL_MS?.trim() ?? '';
  const intervalMs = rawInterval === '' ? 1000 : Number(rawInterval);
  if (!Number.isInteger(intervalMs) || intervalMs < 0 || intervalMs > 3_600_000) {
    problems.push('TCC_HELD_BRANCH_CHECK_INTERVAL_MS must be an integer number of milliseconds between 0 and 3600000');
  }
  if (problems.length > 0) throw new Error(`invalid TCC participant configuration: ${problems.join('; ')}`);
  return { coordinatorUrls, intervalMs };
}

/** Nest injection token of a participant's HeldBranchSettings. */
export const HELD_BRANCH_SETTINGS = Symbol('HELD_BRANCH_SETTINGS');
