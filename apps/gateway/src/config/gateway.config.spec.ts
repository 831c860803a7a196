import { ConfigError, loadConfig } from '@omni/platform';
import { GatewayEnv, upstreamLimits } from './gateway.config';

const local = { service: 'gateway', defaultPort: 3000 };

function problemsOf(env: Record<string, string>): Array<{ variable: string; reason: string }> {
  try {
    loadConfig(GatewayEnv, env, local);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('gateway settings of upstream calls', () => {
  it('waits longer for an order placement than for other calls, and limits each upstream, by default', () => {
    const env = loadConfig(GatewayEnv, {}, local);
    expect({ UPSTREAM_TIMEOUT_MS: env.UPSTREAM_TIMEOUT_MS, ORDER_PLACE_TIMEOUT_MS: env.ORDER_PLACE_TIMEOUT_MS }).toEqual({ UPSTREAM_TIMEOUT_MS: 3_000, ORDER_PLACE_TIMEOUT_MS: 10_000 });
    expect(upstreamLimits(env)).toEqual({ maxInFlight: 32, maxQueued: 64, maxQueueWaitMs: 2_000 });
    const set = loadConfig(GatewayEnv, { ORDER_PLACE_TIMEOUT_MS: '12000', UPSTREAM_MAX_IN_FLIGHT: '8', UPSTREAM_MAX_QUEUED: '0', UPSTREAM_MAX_QUEUE_WAIT_MS: '500' }, local);
    expect(set.ORDER_PLACE_TIMEOUT_MS).toBe(12_000);
    expect(upstreamLimits(set)).toEqual({ maxInFlight: 8, maxQueued: 0, maxQueueWaitMs: 500 });
  });

  it('refuses bad values at start-up, naming each variable and its rule', () => {
    expect(problemsOf({ ORDER_PLACE_TIMEOUT_MS: '2s', UPSTREAM_MAX_IN_FLIGHT: '0', UPSTREAM_MAX_QUEUED: '-1', UPSTREAM_MAX_QUEUE_WAIT_MS: '120000' })).toEqual([
      { variable: 'ORDER_PLACE_TIMEOUT_MS', reason: 'must be a whole number of milliseconds between 50 and 60000' },
      { variable: 'UPSTREAM_MAX_IN_FLIGHT', reason: 'must be an integer between 1 and 10000' },
      { variable: 'UPSTREAM_MAX_QUEUE_WAIT_MS', reason: 'must be a whole number of milliseconds between 50 and 60000' },
      { variable: 'UPSTREAM_MAX_QUEUED', reason: 'must be an integer between 0 and 100000' },
    ]);
  });
});
