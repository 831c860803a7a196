import { serviceAuthHeaders } from '@omni/platform/testing';
import { sigtermUnderLoad } from '@omni/testing';

// SIGTERM while requests are in flight, on a real process and real servers: intake stops, every
// request already taken is answered (never a 5xx), the outbox is flushed, and the process exits 0
// within its one shutdown budget.
jest.setTimeout(300_000);

const BUDGET_MS = 6_000;

it('o2o-connector: SIGTERM under load exits 0 within SHUTDOWN_TIMEOUT_MS, no 5xx to requests in flight, nothing left in the outbox', async () => {
  const result = await sigtermUnderLoad({
    app: 'o2o-connector',
    path: '/internal/platforms/eleme/sync-health',
    budgetMs: BUDGET_MS,
    headers: serviceAuthHeaders('o2o-connector'),
    // A delivery platform configured (nobody listens there: its pushes fail and back off meanwhile), so the platform's routes answer.
    env: { O2O_DELIVERY_BASE_URL: 'http://127.0.0.1:9', O2O_DELIVERY_APP_KEY: 'shutdown-app', O2O_DELIVERY_SECRET: 'shutdown-secret-0123456789', O2O_DELIVERY_CHANNEL: 'eleme' },
  });
  expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  expect(result.tookMs).toBeLessThan(BUDGET_MS);
  expect(result.succeeded).toBeGreaterThan(0);
  expect(result.serverErrors).toEqual([]);
  expect(result.unsentOutbox).toBe(0);
});
