import { Injectable } from '@nestjs/common';
import { IdempotencyStore } from '@omni/platform';
import { runTransaction } from '@omni/sql';
import { DataSource, EntityManager } from 'typeorm';

/** Runs a catalog create in one transaction, at most once per Idempotency-Key (the platform's record store and replay rule). */
@Injectable()
export class IdempotentWriter {
  private readonly records = new IdempotencyStore();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction, once per `key` within `scope`; without a key it simply runs. */
  run<R>(key: string | undefined, scope: string, body: unknown, work: (tx: EntityManager) => Promise<R>): Promise<R> {
    return runTransaction(this.dataSource, (tx) => this.records.run(tx, key, scope, body, () => work(tx)));
  }
}
