import { serviceAuthHeaders } from '@omni/platform/testing';
import { sigtermUnderLoad } from '@omni/testing';

// SIGTERM while requests are in flight, on a real process and real servers: intake stops, every
// request already taken is answered (never a 5xx), the outbox is flushed, and the process exits 0
// within its one shutdown budget.
jest.setTimeout(300_000);

const BUDGET_MS = 6_000;

it('member: SIGTERM under load exits 0 within SHUTDOWN_TIMEOUT_MS, no 5xx to requests in flight, nothing left in the outbox', async () => {
  const result = await sigtermUnderLoad({ app: 'member', path: '/internal/members', budgetMs: BUDGET_MS, headers: serviceAuthHeaders('member'), body: (n) => ({ channel: 'app', account: { kind: 'app', accountId: `shutdown-${Date.now()}-${n}` } }) });
  expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  expect(result.tookMs).toBeLessThan(BUDGET_MS);
  expect(result.succeeded).toBeGreaterThan(0);
  // The load wrote events, and every one of them left the outbox before the exit.
  expect(result.outboxRows).toBeGreaterThan(0);
  expect(result.serverErrors).toEqual([]);
  expect(result.unsentOutbox).toBe(0);
});
