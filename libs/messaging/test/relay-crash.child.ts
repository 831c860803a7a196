// Child process for the crash test: runs a relay that SIGKILLs its own process after Kafka
// acknowledged a batch and before the rows are marked sent. Run with `node -r @swc-node/register`.
import { createKafka, OutboxRelay, silentLogger } from '../src';

async function main(): Promise<void> {
  const connection = process.env.RELAY_DB_URL;
  const brokers = process.env.RELAY_BROKERS?.split(',');
  if (!connection || !brokers) throw new Error('RELAY_DB_URL and RELAY_BROKERS are required');
  const kafka = createKafka({ clientId: 'crashing-relay', brokers, logger: silentLogger });
  const relay = new OutboxRelay({
    kafka,
    connection,
    logger: silentLogger,
    afterPublish: (ids) => {
      process.stdout.write(`published ${ids.join(',')}\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  });
  await relay.start();
  process.stdout.write(`started leader=${relay.isLeader}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
