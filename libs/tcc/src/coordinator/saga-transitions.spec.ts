import {
  ACTIVE_GLOBAL_STATUSES,
  BRANCH_TRANSITIONS,
  BranchEvent,
  BranchStatus,
  FINAL_GLOBAL_STATUSES,
  GLOBAL_TRANSITIONS,
  GlobalEvent,
  GlobalStatus,
  branchSourcesOf,
  globalSourcesOf,
  nextBranchStatus,
  nextGlobalStatus,
} from './saga-transitions';

const GLOBAL_EVENTS: GlobalEvent[] = ['all-tried', 'confirm', 'cancel', 'all-confirmed', 'all-cancelled', 'give-up'];
const BRANCH_EVENTS: BranchEvent[] = ['try-succeeded', 'try-failed', 'confirm', 'cancel', 'confirm-succeeded', 'cancel-succeeded'];

describe('global transition table', () => {
  // Every (status, event) pair: the allowed ones by name, everything else refused.
  const allowed: Record<string, GlobalStatus> = {
    'trying/all-tried': 'prepared',
    'trying/cancel': 'cancelling',
    'prepared/confirm': 'confirming',
    'prepared/cancel': 'cancelling',
    'confirming/all-confirmed': 'confirmed',
    'confirming/give-up': 'needs_attention',
    'cancelling/all-cancelled': 'cancelled',
    'cancelling/give-up': 'needs_attention',
  };
  const statuses = Object.keys(GLOBAL_TRANSITIONS) as GlobalStatus[];
  const cases = statuses.flatMap((s) => GLOBAL_EVENTS.map((e) => [s, e] as const));

  it.each(cases)('%s + %s', (status, event) => {
    expect(nextGlobalStatus(status, event)).toBe(allowed[`${status}/${event}`] ?? null);
  });

  it('never leaves a final status', () => {
    for (const s of FINAL_GLOBAL_STATUSES) for (const e of GLOBAL_EVENTS) expect(nextGlobalStatus(s, e)).toBeNull();
  });

  it('once cancelling, can never reach confirmed; once confirming, never cancelled', () => {
    const reachable = (from: GlobalStatus): Set<GlobalStatus> => {
      const seen = new Set<GlobalStatus>([from]);
      const queue = [from];
      while (queue.length) {
        const s = queue.shift()!;
        for (const e of GLOBAL_EVENTS) {
          const n = nextGlobalStatus(s, e);
          if (n && !seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
        }
      }
      return seen;
    };
    expect(reachable('cancelling').has('confirmed')).toBe(false);
    expect(reachable('confirming').has('cancelled')).toBe(false);
    expect(reachable('trying')).toEqual(new Set(statuses));
  });

  it('gives the compare-and-set source list of each event', () => {
    expect(globalSourcesOf('cancel').sort()).toEqual(['prepared', 'trying']);
    expect(globalSourcesOf('give-up').sort()).toEqual(['cancelling', 'confirming']);
    expect(ACTIVE_GLOBAL_STATUSES.every((s) => !FINAL_GLOBAL_STATUSES.includes(s))).toBe(true);
  });
});

describe('branch transition table', () => {
  const allowed: Record<string, BranchStatus> = {
    'trying/try-succeeded': 'tried',
    'trying/try-failed': 'try_failed',
    'trying/cancel': 'cancelling',
    'tried/confirm': 'confirming',
    'tried/cancel': 'cancelling',
    'try_failed/cancel': 'cancelling',
    'confirming/confirm-succeeded': 'confirmed',
    'cancelling/cancel-succeeded': 'cancelled',
  };
  const statuses = Object.keys(BRANCH_TRANSITIONS) as BranchStatus[];
  const cases = statuses.flatMap((s) => BRANCH_EVENTS.map((e) => [s, e] as const));

  it.each(cases)('%s + %s', (status, event) => {
    expect(nextBranchStatus(status, event)).toBe(allowed[`${status}/${event}`] ?? null);
  });

  it('a branch that failed its Try can never be confirmed', () => {
    expect(nextBranchStatus('try_failed', 'confirm')).toBeNull();
    expect(branchSourcesOf('confirm')).toEqual(['tried']);
  });

  it('a late Try reply cannot move a branch that is already being cancelled', () => {
    expect(nextBranchStatus('cancelling', 'try-succeeded')).toBeNull();
    expect(nextBranchStatus('cancelled', 'try-succeeded')).toBeNull();
  });
});
