// Child process of crash.int-spec.ts: runs a batch of saga commands against the reservation
// service on a real database, printing "done <n>" after each command, until it finishes or is killed.
// Usage: node -r @swc-node/register crash-driver.ts <database-url> <batch.json> <concurrency>
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { OutboxWriter, TopicNames } from '@omni/messaging';
import { PgTxRunner } from '../src/reservation/persistence/pg-tx.runner';
import { ReservationService } from '../src/reservation/reservation.service';
import { OutboxStockChangedSink } from '../src/stock/outbox-stock-changed.sink';
import { StockLedger } from '../src/stock/stock-ledger';

/** One command of the batch, as the saga would send it. */
export interface CrashCommand {
  op: 'try' | 'confirm' | 'cancel';
  gid: string;
  branchId: string;
  channel: string;
  sku: string;
  quantity: number;
}

async function main(): Promise<void> {
  const [url, file, concurrency] = process.argv.slice(2);
  const commands = JSON.parse(readFileSync(file, 'utf8')) as CrashCommand[][];
  const pool = new Pool({ connectionString: url, max: Number(concurrency) });
  const outbox = new OutboxWriter(new TopicNames());
  const ledger = new StockLedger(new OutboxStockChangedSink(outbox), { activeChannels: ['m', 'a', 'w'] });
  const service = new ReservationService(new PgTxRunner(pool), outbox, ledger, null);
  let done = 0;
  // Each lane is one branch's commands in order (Try, then Confirm or Cancel), lanes run in parallel.
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const lane = commands[next++];
      for (const c of lane) {
        const branch = { gid: c.gid, branchId: c.branchId };
        const reply =
          c.op === 'try'
            ? await service.try({ ...branch, deadline: new Date(Date.now() + 3_600_000), channel: c.channel, lines: [{ sku: c.sku, quantity: c.quantity, locationId: 'any' }] })
            : c.op === 'confirm'
              ? await service.confirm(branch)
              : await service.cancel(branch);
        if (reply.outcome === 'retry') throw new Error(`unexpected retry for ${c.op} ${c.gid}`);
        process.stdout.write(`done ${++done}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  await pool.end();
  process.stdout.write('finished\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
