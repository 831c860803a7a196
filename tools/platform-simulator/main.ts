// Runs one simulated platform as its own process: `node -r @swc-node/register tools/platform-simulator/main.ts`.
// SIM_SHAPE (delivery|marketplace), SIM_PORT, SIM_APP_KEY, SIM_SECRET, SIM_RATE_PER_SECOND,
// SIM_FAILURE_RATE, SIM_MAX_DELAY_MS, SIM_WEBHOOK_URL, SIM_COMMISSION_BPS.
import { PlatformSimulator, type SimulatedShape } from './platform-simulator';

const env = process.env;
const shape = (env.SIM_SHAPE ?? 'delivery') as SimulatedShape;
if (shape !== 'delivery' && shape !== 'marketplace') {
  console.error(`SIM_SHAPE must be delivery or marketplace, got "${shape}"`);
  process.exit(2);
}
const simulator = new PlatformSimulator({
  shape,
  port: Number(env.SIM_PORT ?? 0),
  appKey: env.SIM_APP_KEY ?? `${shape}-app`,
  secret: env.SIM_SECRET ?? `${shape}-secret`,
  ratePerSecond: Number(env.SIM_RATE_PER_SECOND ?? 50),
  failureRate: Number(env.SIM_FAILURE_RATE ?? 0),
  maxDelayMs: Number(env.SIM_MAX_DELAY_MS ?? 0),
  webhookUrl: env.SIM_WEBHOOK_URL,
  commissionBps: Number(env.SIM_COMMISSION_BPS ?? 800),
});
// The "listening on <url>" wording is what test harnesses and the local suite wait for.
void simulator.start().then((url) => console.log(JSON.stringify({ level: 'info', msg: `platform simulator (${shape}) listening on ${url}`, shape, url })));
const stop = () => void simulator.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
