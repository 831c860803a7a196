import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { testInfra, uniqueId, waitFor } from '@omni/testing';
import { bump, COUNTER_BUMPED, counterHeaders, counterTestBed, type CounterTestBed } from './messaging-test-kit';

jest.setTimeout(120_000);

const repoRoot = `${__dirname}/../../..`;

/** Starts the consuming child and resolves once it has joined its group. */
async function startChild(bed: CounterTestBed, groupId: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'libs/messaging/test/consumer-crash.child.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CONSUMER_DB_URL: bed.db.url,
      CONSUMER_BROKERS: testInfra.kafkaBrokers.join(','),
      CONSUMER_GROUP: groupId,
      CONSUMER_TOPIC_PREFIX: bed.topics.prefix,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(() => output.includes('ready\n') || child.exitCode !== null, { timeoutMs: 60_000, what: 'the consumer child to join its group' });
  if (!output.includes('ready\n')) throw new Error(`the consumer child exited: ${output}`);
  return { child, output: () => output };
}

/**
 * Offsets are committed up to a second after handling (OFFSET_COMMIT_DELAY_MS), so a consumer
 * killed mid-stream leaves handled events uncommitted. The next member reads them again, and the
 * inbox must apply each event exactly once, losing none.
 */
describe('a consumer killed with SIGKILL mid-stream (real child processes, Postgres and Kafka)', () => {
  let bed: CounterTestBed;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    bed = await counterTestBed('messaging_consumer_crash', ['CREATE TABLE deliveries (event_id text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())']);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await bed?.close();
  });

  it('applies every event exactly once after the next member reads again what the killed one had not committed', async () => {
    const groupId = uniqueId('crash-group-');
    const first = await startChild(bed, groupId);
    children.push(first.child);

    const events = 300;
    const counters = ['c-0', 'c-1', 'c-2', 'c-3', 'c-4'];
    for (let i = 0; i < events; i += 10) {
      await bed.producer.send({
        topic: bed.topics.physical(COUNTER_BUMPED.topic),
        acks: -1,
        messages: Array.from({ length: 10 }, (_, j) => {
          const counterId = counters[(i + j) % counters.length];
          return { key: counterId, value: JSON.stringify(bump(counterId)), headers: counterHeaders(uniqueId('evt-')) };
        }),
      });
    }
    const delivered = async (): Promise<number> => Number((await bed.pool.query('SELECT count(*) AS n FROM deliveries')).rows[0].n);
    // Mid-stream: a third handled, the rest still to come.
    await waitFor(async () => (await delivered()) >= events / 3, { timeoutMs: 60_000, intervalMs: 20, what: 'the first member to handle a third of the events' });
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(first.child.signalCode).toBe('SIGKILL');
    const byFirst = await delivered();
    expect(byFirst).toBeLessThan(events);

    // The killed member never left: the next one gets its partitions once its session times out.
    const second = await startChild(bed, groupId);
    children.push(second.child);
    const applied = async (): Promise<number> => Number((await bed.pool.query('SELECT count(*) AS n FROM messaging_inbox WHERE consumer_group = $1', [groupId])).rows[0].n);
    await waitFor(async () => (await applied()) === events, { timeoutMs: 60_000, intervalMs: 200, what: `all ${events} events applied (${second.output()})` });

    const { rows } = await bed.pool.query<{ total: string; distinct_events: string; read_again: string }>(
      `SELECT count(*) AS total, count(DISTINCT event_id) AS distinct_events,
              (SELECT count(*) FROM (SELECT event_id FROM deliveries GROUP BY event_id HAVING count(DISTINCT pid) > 1) x) AS read_again
         FROM deliveries`,
    );
    const sum = Number((await bed.pool.query('SELECT coalesce(sum(value), 0) AS s FROM counters')).rows[0].s);
    process.stdout.write(`consumer crash: ${JSON.stringify({ events, deliveredByFirst: byFirst, deliveries: Number(rows[0].total), readAgainBySecond: Number(rows[0].read_again) })}\n`);
    // Nothing lost, nothing applied twice, whatever was read again.
    expect(Number(rows[0].distinct_events)).toBe(events);
    expect(sum).toBe(events);
    expect(await applied()).toBe(events);
  });
});
