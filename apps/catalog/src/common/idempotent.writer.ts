import { Injectable } from '@nestjs/common';
import { withIdempotency } from '@omni/platform';
import { runTransaction } from '@omni/sql';
import { DataSource, EntityManager } from 'typeorm';

/** Runs a catalog create in one transaction, at most once per Idempotency-Key (the platform's idempotency records and replay rule). */
@Injectable()
export class IdempotentWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction, once per `key` within `scope`; without a key it simply runs. */
  run<R>(key: string | undefined, scope: string, body: unknown, work: (tx: EntityManager) => Promise<R>): Promise<R> {
    return runTransaction(this.dataSource, (tx) => withIdempotency(tx, key, scope, body, () => work(tx)));
  }
}
