import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { uniqueId } from '@omni/testing';
import type { CrashCommand } from './crash-driver';
import { addLocation, addOwner, buildReservationService, createInventoryTestDb, InventoryTestDb, ledgerMismatches, setAllocation } from './reservation.harness';

// A real process kill in the middle of a batch of reservations: the driver (our reservation
// service in a child process on the suite's database) is SIGKILLed while transactions are in
// flight; a new process then re-sends every command, as the saga would. Every branch must end
// applied exactly once: one reservation row, at most one deduction or release, one event each.
jest.setTimeout(180_000);

const BRANCHES = 90;
let t: InventoryTestDb;

beforeAll(async () => {
  t = await createInventoryTestDb('crash', 4);
  const location = await addLocation(t.pool, 'WH-C');
  const owner = await addOwner(t.pool, 'Retailer');
  const { ledger } = buildReservationService(t);
  await t.dataSource.transaction(async (tx) => {
    await ledger.applyMovements(tx, [{ sku: 'SKU-C', locationId: location, ownerId: owner, type: 'receipt', onHandDelta: 1000, reservedDelta: 0 }]);
    await setAllocation(tx, 'SKU-C', 'm', 'dedicated', 60);
    await setAllocation(tx, 'SKU-C', 'a', 'shared', 10);
  });
});
afterAll(() => t.close());

function runDriver(file: string, onLine: (line: string, child: ChildProcess) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'crash-driver.ts'), t.db.url, file, '6'], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    lines.forEach((line) => onLine(line, child));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

describe('crash during a batch of reservations', () => {
  it('after SIGKILL and a full re-send, every command is applied exactly once', async () => {
    const lanes: CrashCommand[][] = Array.from({ length: BRANCHES }, (_, i) => {
      const base = { gid: uuidv7(), branchId: uuidv7(), channel: ['m', 'a', 'w'][Math.floor(i / 3) % 3], sku: 'SKU-C', quantity: 1 + (i % 2) };
      const lane: CrashCommand[] = [{ ...base, op: 'try' }];
      if (i % 3 === 0) lane.push({ ...base, op: 'confirm' });
      if (i % 3 === 1) lane.push({ ...base, op: 'cancel' });
      return lane;
    });
    const total = lanes.flat().length;
    const file = join(tmpdir(), `${uniqueId('crash-batch')}.json`);
    writeFileSync(file, JSON.stringify(lanes));

    // First run: kill it hard once about 40% of the commands have been answered.
    let seen = 0;
    const first = await runDriver(file, (line, child) => {
      if (line.startsWith('done ') && ++seen === Math.floor(total * 0.4)) child.kill('SIGKILL');
    });
    expect(first.signal).toBe('SIGKILL');
    expect(seen).toBeLessThan(total);
    const { rows: partial } = await t.pool.query(`SELECT count(*)::int AS n FROM reservations`);
    expect(partial[0].n).toBeGreaterThan(0);
    expect(partial[0].n).toBeLessThan(BRANCHES);

    // Restart: re-send every command of the batch, from the start.
    const second = await runDriver(file, () => undefined);
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });

    // Exactly once per branch.
    const { rows } = await t.pool.query(
      `SELECT r.gid, r.status,
              (SELECT count(*)::int FROM stock_movements m WHERE m.ref = r.gid || '/' || r.branch_id AND m.type = 'reservation') AS reserved,
              (SELECT count(*)::int FROM stock_movements m WHERE m.ref = r.gid || '/' || r.branch_id AND m.type = 'deduction') AS deducted,
              (SELECT count(*)::int FROM stock_movements m WHERE m.ref = r.gid || '/' || r.branch_id AND m.type = 'release') AS released,
              (SELECT count(*)::int FROM messaging_outbox o WHERE o.key = r.gid) AS events
         FROM reservations r`,
    );
    expect(rows).toHaveLength(BRANCHES);
    const expected = new Map(lanes.map((lane) => [lane[0].gid, lane.length === 1 ? 'tried' : lane[1].op === 'confirm' ? 'confirmed' : 'cancelled']));
    for (const r of rows) {
      const status = expected.get(r.gid);
      expect({ gid: r.gid, status: r.status, reserved: r.reserved, deducted: r.deducted, released: r.released, events: r.events }).toEqual({
        gid: r.gid,
        status,
        reserved: 1,
        deducted: status === 'confirmed' ? 1 : 0,
        released: status === 'cancelled' ? 1 : 0,
        events: status === 'tried' ? 1 : 2,
      });
    }
    expect(await ledgerMismatches(t.pool)).toEqual([]);
    const units = lanes.filter((l) => l.length === 1).reduce((n, l) => n + l[0].quantity, 0);
    const sold = lanes.filter((l) => l[1]?.op === 'confirm').reduce((n, l) => n + l[0].quantity, 0);
    const { rows: level } = await t.pool.query(`SELECT on_hand, reserved FROM stock_levels WHERE sku = 'SKU-C'`);
    expect(level).toEqual([{ on_hand: 1000 - sold, reserved: units }]);
    const mLanes = lanes.filter((l) => l[0].channel === 'm');
    const mHeld = mLanes.filter((l) => l[1]?.op !== 'cancel').reduce((n, l) => n + l[0].quantity, 0);
    const { rows: quota } = await t.pool.query(`SELECT quota_remaining FROM channel_allocations WHERE sku = 'SKU-C' AND channel = 'm'`);
    expect(quota[0].quota_remaining).toBe(60 - mHeld);
  });
});
