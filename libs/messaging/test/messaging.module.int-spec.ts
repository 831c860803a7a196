import { INestApplication, Injectable, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PRICE_CHANGED, PriceChangedEvent, sampleEvents, STOCK_CHANGED, StockChangedEvent } from '@omni/contracts';
import { createTestDatabase, TestDatabase, testInfra, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { DataSource } from 'typeorm';
import { UndeclaredContractError } from '../src/common/errors';
import { createKafka } from '../src/common/kafka-client';
import { silentLogger } from '../src/common/observability';
import { PermanentEventError } from '../src/common/errors';
import { COUNTER_BUMPED, readTopic } from './messaging-test-kit';
import { EventBatchHandler, EventHandler, EventScreen, TransactionalEventContext } from '../src/nest/event-handler.decorator';
import { MessagingHealth } from '../src/nest/messaging-health.service';
import { messagingMigrations } from '../src/nest/messaging.migration';
import { MessagingModule } from '../src/nest/messaging.module';
import { Outbox } from '../src/nest/outbox.service';

jest.setTimeout(90_000);

/** A feature provider using both sides of the module: it publishes through Outbox and projects the event back. */
@Injectable()
class StockProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** The use case: a state change and its event in one transaction. */
  async record(payload: StockChangedEvent): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO stock_levels (sku, available) VALUES ($1, $2)', [payload.sku, payload.available]);
      return this.outbox.add(manager, STOCK_CHANGED, payload);
    });
  }

  @EventHandler(STOCK_CHANGED)
  async onStockChanged(payload: StockChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    if (!(payload instanceof StockChangedEvent)) throw new Error('handler expects the validated payload instance');
    await ctx.manager.query('INSERT INTO seen_stock (event_id, sku, available, traceparent) VALUES ($1, $2, $3, $4)', [
      ctx.id,
      payload.sku,
      payload.available,
      ctx.traceparent ?? null,
    ]);
  }
}

/** The stock figure BatchedStockProjection refuses for good. */
const REFUSED_AVAILABLE = 666;

/**
 * A `batched` handler in a group of its own: it records the transaction each event was applied in,
 * and publishes an event of its own for each (its id recorded too).
 */
@Injectable()
class BatchedStockProjection {
  constructor(private readonly outbox: Outbox) {}

  @EventHandler(STOCK_CHANGED, { group: 'batched-projection', batched: true })
  async onStockChanged(payload: StockChangedEvent, ctx: TransactionalEventContext): Promise<void> {
    if (payload.available === REFUSED_AVAILABLE) throw new PermanentEventError(`refuses available ${payload.available}`, 'EVENT_REFUSED');
    const published = await this.outbox.add(ctx.manager, PRICE_CHANGED, Object.assign(new PriceChangedEvent(), sampleEvents.priceChanged({ sku: payload.sku })));
    await ctx.manager.query('INSERT INTO batched_stock (event_id, sku, tx, published) VALUES ($1, $2, txid_current(), $3)', [ctx.id, payload.sku, published]);
  }
}

/** A batch handler without the one-by-one handler it needs as its fallback. */
@Injectable()
class BatchOnlyProjection {
  @EventBatchHandler(STOCK_CHANGED, { accepts: () => true })
  async onStockChangedBatch(): Promise<void> {
    throw new Error('never called: the application refuses to start');
  }
}

/** A screen without the batch handler whose runs it would screen. */
@Injectable()
class ScreenWithoutBatch {
  @EventHandler(STOCK_CHANGED)
  async onStockChanged(): Promise<void> {
    throw new Error('never called: the application refuses to start');
  }

  @EventScreen(STOCK_CHANGED)
  async screenStockChanged(): Promise<null[]> {
    throw new Error('never called: the application refuses to start');
  }
}

describe('MessagingModule in a Nest application (real Postgres + Kafka)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const prefix = uniqueTopicPrefix('nest');

  beforeAll(async () => {
    db = await createTestDatabase('messaging_nest');
    @Module({ providers: [StockProjection, BatchedStockProjection] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: db.url, migrations: messagingMigrations, migrationsRun: true, logging: false }),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'inventory',
            clientId: 'inventory-spec',
            brokers: testInfra.kafkaBrokers,
            topicPrefix: prefix,
            publishes: [STOCK_CHANGED, PRICE_CHANGED],
            dataSource,
            metrics: {},
          }),
        }),
        FeatureModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    const dataSource = app.get(DataSource);
    await dataSource.query('CREATE TABLE stock_levels (sku text, available int)');
    await dataSource.query('CREATE TABLE seen_stock (event_id text PRIMARY KEY, sku text, available int, traceparent text)');
    await dataSource.query('CREATE TABLE batched_stock (event_id text PRIMARY KEY, sku text, tx bigint, published uuid)');
    // Every INSERT statement into the outbox, with the ids it wrote, in order.
    await dataSource.query('CREATE TABLE outbox_inserts (n serial PRIMARY KEY, ids uuid[])');
    await dataSource.query(`CREATE FUNCTION log_outbox_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO outbox_inserts (ids) SELECT array_agg(id ORDER BY seq) FROM inserted; RETURN NULL; END $$`);
    await dataSource.query(`CREATE TRIGGER log_outbox_insert AFTER INSERT ON messaging_outbox REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION log_outbox_insert()`);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('round-trips an event: Outbox in a use case, relay, @EventHandler through the inbox', async () => {
    const dataSource = app.get(DataSource);
    const payload = Object.assign(new StockChangedEvent(), sampleEvents.stockChanged({ sku: 'TEA-GREEN-100', available: 42 }));
    const id = await app.get(StockProjection).record(payload);
    const seen = await waitFor(async () => (await dataSource.query('SELECT * FROM seen_stock WHERE event_id = $1', [id]))[0], {
      timeoutMs: 30_000,
      what: 'handler applied the event',
    });
    expect(seen).toMatchObject({ sku: 'TEA-GREEN-100', available: 42 });
    // Both groups reading stock-changed applied it once each (the batched projection's too).
    await waitFor(async () => (await dataSource.query('SELECT 1 FROM batched_stock WHERE event_id = $1', [id]))[0], { timeoutMs: 30_000, what: 'the batched group to apply the event' });
    expect(await dataSource.query('SELECT consumer_group, topic FROM messaging_inbox WHERE event_id = $1 ORDER BY consumer_group', [id])).toEqual([
      { consumer_group: 'batched-projection', topic: `${prefix}stock-changed` },
      { consumer_group: 'inventory', topic: `${prefix}stock-changed` },
    ]);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox WHERE sent_at IS NOT NULL AND topic = $1`, [`${prefix}stock-changed`])).toEqual([{ n: 1 }]);
  });

  it('refuses to queue an event the service did not declare', async () => {
    const dataSource = app.get(DataSource);
    await expect(
      dataSource.transaction((manager) => app.get(Outbox).add(manager, COUNTER_BUMPED, { schemaVersion: 1, counterId: 'c', amount: 1 })),
    ).rejects.toBeInstanceOf(UndeclaredContractError);
  });

  it('reports Kafka health and created the topics with their DLQs', async () => {
    const health = await app.get(MessagingHealth).check();
    expect(health.up).toBe(true);
    // Kafka groups carry the topic prefix, so environments sharing a broker never rebalance each other.
    expect(health.details).toMatchObject({ consumers: [`${prefix}inventory`, `${prefix}batched-projection`] });
    const kafka = createKafka({ clientId: 'nest-spec-reader', brokers: testInfra.kafkaBrokers, logger: silentLogger });
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining([`${prefix}stock-changed`, `${prefix}stock-changed.dlq`]));
    expect((await readTopic(kafka, `${prefix}stock-changed`)).length).toBe(1);
  });

  it('a batched handler applies a run of events in one transaction; a refused event fails alone', async () => {
    const dataSource = app.get(DataSource);
    const outbox = app.get(Outbox);
    // One SKU (one key, one partition), published together: the consumer gets them as one run.
    const publish = (sku: string, available: number[]) =>
      dataSource.transaction(async (manager) => {
        const added: string[] = [];
        for (const a of available) added.push(await outbox.add(manager, STOCK_CHANGED, Object.assign(new StockChangedEvent(), sampleEvents.stockChanged({ sku, available: a }))));
        return added;
      });
    const ids = await publish('RUN-A', Array.from({ length: 10 }, (_, i) => (i === 6 ? REFUSED_AVAILABLE : i)));
    const good = ids.filter((_, i) => i !== 6);
    const rows = await waitFor(
      async () => {
        const found: Array<{ event_id: string; tx: string }> = await dataSource.query('SELECT event_id, tx FROM batched_stock WHERE event_id = ANY($1)', [good]);
        return found.length === good.length ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'the batched handler to apply every good event' },
    );
    // The run with the refused event rolled back and was applied one by one: the refused one is
    // dead-lettered, the others applied once each. Without it, the same events share a transaction.
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(9);
    const okIds = await publish('RUN-B', [1, 2, 3, 4, 5]);
    const batch = await waitFor(
      async () => {
        const found: Array<{ tx: string }> = await dataSource.query('SELECT tx FROM batched_stock WHERE event_id = ANY($1)', [okIds]);
        return found.length === okIds.length ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'the second run to be applied' },
    );
    expect(new Set(batch.map((r) => r.tx)).size).toBeLessThan(okIds.length);
    // What the handlers published: one event per applied event (none for the refused one, none twice
    // from the rolled-back run), and a run's events written by ONE insert, in the run's order.
    const applied: Array<{ event_id: string; tx: string; published: string }> = await dataSource.query(
      'SELECT event_id, tx::text, published FROM batched_stock WHERE event_id = ANY($1)',
      [[...good, ...okIds]],
    );
    const published = applied.map((r) => r.published);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM messaging_outbox WHERE id = ANY($1::uuid[])', [published])).toEqual([{ n: good.length + okIds.length }]);
    const inserts: Array<{ ids: string[] }> = await dataSource.query('SELECT ids FROM outbox_inserts WHERE ids && $1::uuid[] ORDER BY n', [published]);
    expect(inserts.flatMap((i) => i.ids).sort()).toEqual([...published].sort());
    const byEvent = new Map(applied.map((r) => [r.event_id, r]));
    const runOf = (eventId: string) => inserts.findIndex((i) => i.ids.includes(byEvent.get(eventId)!.published));
    for (const run of new Set(okIds.map(runOf))) {
      const events = okIds.filter((id) => runOf(id) === run);
      // The run's events in one transaction, their events in one statement, in the events' order.
      expect(new Set(events.map((id) => byEvent.get(id)!.tx)).size).toBe(1);
      expect(inserts[run].ids).toEqual(events.map((id) => byEvent.get(id)!.published));
    }
    expect(inserts.some((i) => i.ids.length > 1)).toBe(true);
    const dlq = await waitFor(async () => {
      const messages = await readTopic(createKafka({ clientId: 'nest-spec-dlq-reader', brokers: testInfra.kafkaBrokers, logger: silentLogger }), `${prefix}stock-changed.dlq`);
      return messages.length > 0 ? messages : undefined;
    }, { timeoutMs: 30_000, what: 'the refused event in the DLQ' });
    expect(dlq.filter((m) => JSON.stringify(m.headers).includes(ids[6]))).toHaveLength(1);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM messaging_inbox WHERE consumer_group = 'batched-projection' AND event_id = $1`, [ids[6]])).toEqual([{ n: 0 }]);
  });

  /** Builds an application around `provider` and expects its start to fail with `message`. */
  async function expectStartToFail(provider: Type, message: string): Promise<void> {
    @Module({ providers: [provider] })
    class BrokenModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: db.url, logging: false }),
        MessagingModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            service: 'inventory',
            clientId: 'inventory-wiring-spec',
            brokers: testInfra.kafkaBrokers,
            topicPrefix: uniqueTopicPrefix('nest-wiring'),
            publishes: [],
            dataSource,
            metrics: {},
          }),
        }),
        BrokenModule,
      ],
    }).compile();
    const broken = moduleRef.createNestApplication({ logger: false });
    try {
      await expect(broken.init()).rejects.toThrow(message);
    } finally {
      await broken.close().catch(() => undefined);
    }
  }

  it('refuses to start with a batch handler that has no one-by-one handler to fall back on', async () => {
    await expectStartToFail(BatchOnlyProjection, 'BatchOnlyProjection.onStockChangedBatch batches stock-changed in group inventory, which has no @EventHandler for it');
  });

  it('refuses to start with a screen that has no batch handler to screen for', async () => {
    await expectStartToFail(ScreenWithoutBatch, 'ScreenWithoutBatch.screenStockChanged screens stock-changed in group inventory, which has no @EventBatchHandler for it');
  });
});
