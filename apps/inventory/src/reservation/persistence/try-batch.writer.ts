import { STOCK_RESERVED, type StockReservedEvent } from '@omni/contracts';
import { outboxInsertCtes } from '@omni/messaging';
import { Clock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import { AtpSnapshot } from '../../redis-gate/atp-cache';
import { type SqlExecutor, queryRows } from '@omni/sql';
import { SkuChange, skuChangeOf, StockLedger } from '../../stock/stock-ledger';
import { loadSkuStates, SkuStockState } from '../../stock/stock-reader';
import { decideTry, LineReason, ReservationPick, SkuSnapshot } from '../domain/reservation.decider';
import { TryResult, TryToDecide } from '../domain/reservation.types';
import { EventWriter } from './event-writer.port';

/** Dependencies of the writer. */
export interface TryWriterDeps {
  events: EventWriter;
  ledger: StockLedger;
  activeChannels: readonly string[];
  clock: Clock;
}

const WRITE_SQL = `
WITH r AS (
  INSERT INTO reservations (gid, branch_id, channel, status, deadline, reasons)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) RETURNING 1),
p AS (
  SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::uuid[], $13::uuid[], $14::int[], $15::int[], $16::uuid[], $17::bigint[])
    AS p(gid, branch_id, channel, line_no, sku, location_id, owner_id, quantity, quota_units, movement_id, sku_version)),
rl AS (
  INSERT INTO reservation_lines (gid, branch_id, line_no, sku, location_id, owner_id, quantity, quota_units)
  SELECT gid, branch_id, line_no, sku, location_id, owner_id, quantity, quota_units FROM p RETURNING 1),
lv AS (
  UPDATE stock_levels l SET reserved = l.reserved + a.quantity, updated_at = now()
    FROM (SELECT sku, location_id, owner_id, sum(quantity)::int AS quantity FROM p GROUP BY sku, location_id, owner_id) a
   WHERE l.sku = a.sku AND l.location_id = a.location_id AND l.owner_id = a.owner_id RETURNING 1),
mv AS (
  INSERT INTO stock_movements (id, sku, location_id, owner_id, type, on_hand_delta, reserved_delta, channel, ref, sku_version)
  SELECT movement_id, sku, location_id, owner_id, 'reservation', 0, quantity, channel, gid || '/' || branch_id, sku_version FROM p RETURNING 1),
q AS (
  UPDATE channel_allocations c SET quota_remaining = c.quota_remaining - d.units, updated_at = now()
    FROM (SELECT sku, channel, sum(quota_units)::int AS units FROM p GROUP BY sku, channel HAVING sum(quota_units) > 0) d
   WHERE c.sku = d.sku AND c.channel = d.channel AND c.mode = 'dedicated' RETURNING 1),
v AS (
  UPDATE sku_stock s SET version = x.version, updated_at = now()
    FROM unnest($18::text[], $19::bigint[]) AS x(sku, version) WHERE s.sku = x.sku RETURNING 1),
${outboxInsertCtes('o', 20)}
SELECT (SELECT count(*) FROM r) AS reservations, (SELECT count(*) FROM rl) AS lines, (SELECT count(*) FROM lv) AS levels,
       (SELECT count(*) FROM mv) AS movements, (SELECT count(*) FROM q) AS quotas, (SELECT count(*) FROM v) AS versions,
       (SELECT count(*) FROM o) AS events, (SELECT count(*) FROM o_notify) AS notified`;

/** Decides and writes Trys whose barrier rows are written (one lock, one statement). */
export type TryWrite = (tx: SqlExecutor, tries: readonly TryToDecide[]) => Promise<{ results: TryResult[]; snapshots: AtpSnapshot[] }>;

/** What `writeFreshTries` decided: a result per Try (null: not decided here), and the cache snapshots. */
export interface WrittenTries {
  results: Array<TryResult | null>;
  snapshots: AtpSnapshot[];
}

/**
 * Writes the barrier rows of `tries` in one statement (sorted, so two batches never deadlock) and
 * decides the Trys whose row is new with `write`, in arrival order. A Try whose row already
 * existed (tried or cancelled before) or that repeats an earlier one of `tries` gets null: it must
 * take the one-at-a-time path (runTccBranch), which answers duplicates and suspensions.
 */
export async function writeFreshTries(tx: SqlExecutor, tries: readonly TryToDecide[], write: TryWrite): Promise<WrittenTries> {
  const keyOf = (t: TryToDecide) => `${t.cmd.gid}\u0000${t.cmd.branchId}`;
  const firsts = new Map<string, number>();
  tries.forEach((t, i) => {
    if (!firsts.has(keyOf(t))) firsts.set(keyOf(t), i);
  });
  const unique = [...firsts.values()].map((i) => tries[i]);
  const sorted = [...unique].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const inserted = await queryRows(
    tx,
    `INSERT INTO tcc_barrier (gid, branch_id, op)
     SELECT g, b, 'try' FROM unnest($1::text[], $2::text[]) AS x(g, b) ORDER BY g, b
     ON CONFLICT (gid, branch_id, op) DO NOTHING RETURNING gid, branch_id`,
    [sorted.map((t) => t.cmd.gid), sorted.map((t) => t.cmd.branchId)],
  );
  const fresh = new Set(inserted.map((r) => `${String(r.gid)}\u0000${String(r.branch_id)}`));
  const toDecide = [...firsts].filter(([k]) => fresh.has(k)).map(([, i]) => i);
  const written = toDecide.length > 0 ? await write(tx, toDecide.map((i) => tries[i])) : { results: [], snapshots: [] };
  const results: Array<TryResult | null> = tries.map(() => null);
  toDecide.forEach((i, n) => (results[i] = written.results[n]));
  return { results, snapshots: written.snapshots };
}

/**
 * Decides and writes a batch of Trys of the same SKUs under one lock: lock + load once, decide
 * each Try in arrival order against the state left by the previous ones (exactly as if they had
 * run one after the other), then write every reservation, line, level, ledger row, quota, version
 * and stock-reserved event in one statement, and stock-changed (one per sku × location) through the
 * ledger's sink. One lock acquisition and one commit serve the whole batch.
 */
export async function decideAndWriteTries(tx: SqlExecutor, tries: readonly TryToDecide[], deps: TryWriterDeps): Promise<{ results: TryResult[]; snapshots: AtpSnapshot[] }> {
  const skus = [...new Set(tries.flatMap((t) => t.lines.map((l) => l.sku)))].sort();
  const states = await loadSkuStates(tx, skus, { lock: true });
  const reserved: StockReservedEvent[] = [];
  const occurredAt = deps.clock.now().toISOString();
  const reservations: Array<{ t: TryToDecide; status: 'tried' | 'rejected'; reasons: LineReason[] | null }> = [];
  const picks: Array<ReservationPick & { gid: string; branchId: string; channel: string; movementId: string; version: number }> = [];
  const results: TryResult[] = [];
  const channels = new Set<string>(deps.activeChannels);
  const changes: SkuChange[] = [];

  for (const t of tries) {
    const { cmd } = t;
    channels.add(cmd.channel);
    const decision = decideTry(cmd.channel, t.lines, snapshotsOf(states));
    results.push(decision);
    if (!decision.accepted) {
      reservations.push({ t, status: 'rejected', reasons: decision.reasons });
      continue;
    }
    reservations.push({ t, status: 'tried', reasons: null });
    for (const p of decision.picks) picks.push({ ...p, gid: cmd.gid, branchId: cmd.branchId, channel: cmd.channel, movementId: uuidv7(), version: 0 });
    for (const sku of new Set(decision.picks.map((p) => p.sku))) states.set(sku, applyPicks(states.get(sku)!, decision.picks, cmd.channel));
    reserved.push({
      schemaVersion: 1,
      occurredAt,
      orderId: cmd.gid,
      gid: cmd.gid,
      branchId: cmd.branchId,
      channel: cmd.channel,
      lines: decision.picks.map((p) => ({ sku: p.sku, locationId: p.locationId, ownerId: p.ownerId, quantity: p.quantity })),
      expiresAt: t.deadline.toISOString(),
    });
  }

  // The batch is one committed change of each SKU: one version step per (sku, location) it
  // touched, carried by all its ledger rows, and one stock-changed per (sku, location) with the
  // levels and ATP after the whole batch — consumers still see every version, in order, no gaps.
  const versions = versionsFor(states, picks);
  for (const p of picks) p.version = versions.get(`${p.sku}\u0000${p.locationId}`)!;
  for (const sku of [...new Set(picks.map((p) => p.sku))].sort()) {
    const state = states.get(sku)!;
    const mine = [...versions].filter(([k]) => k.startsWith(`${sku}\u0000`)).map(([, v]) => v);
    const after = { ...state, version: Math.max(state.version, ...mine) };
    states.set(sku, after);
    const causes = new Map(picks.filter((p) => p.sku === sku).map((p) => [p.locationId, 'reservation' as const]));
    changes.push(skuChangeOf(after, causes, versions, deps.activeChannels, [...channels]));
  }

  const touched = [...new Set(picks.map((p) => p.sku))].sort();
  const outbox = deps.events.rows(STOCK_RESERVED, reserved.map((payload) => ({ payload })));
  await queryRows(tx, WRITE_SQL, [
    reservations.map((r) => r.t.cmd.gid),
    reservations.map((r) => r.t.cmd.branchId),
    reservations.map((r) => r.t.cmd.channel),
    reservations.map((r) => r.status),
    reservations.map((r) => r.t.deadline.toISOString()),
    reservations.map((r) => (r.reasons ? JSON.stringify(r.reasons) : null)),
    picks.map((p) => p.gid), picks.map((p) => p.branchId), picks.map((p) => p.channel), picks.map((p) => p.lineNo), picks.map((p) => p.sku),
    picks.map((p) => p.locationId), picks.map((p) => p.ownerId), picks.map((p) => p.quantity), picks.map((p) => p.quotaUnits),
    picks.map((p) => p.movementId), picks.map((p) => p.version),
    touched, touched.map((s) => states.get(s)!.version),
    ...outbox.params,
  ]);
  // stock-changed goes through the ledger's sink like every other stock change (outbox, plus
  // whatever the sink adds, e.g. low-stock alerts), after the levels are written: one event per
  // (sku, location) per batch, so a few statements per batch, not per Try.
  await deps.ledger.emit(tx, changes);

  const snapshots = [...states.values()].map((s) => {
    const change = skuChangeOf(s, new Map(), new Map(), [...channels]);
    return { sku: change.sku, version: change.version, channels: change.atp };
  });
  return { results, snapshots };
}

function snapshotsOf(states: ReadonlyMap<string, SkuStockState>): Map<string, SkuSnapshot> {
  return new Map([...states].map(([sku, s]) => [sku, { sku, levels: s.levels, rules: s.rules }]));
}

/** Per (sku, location) the version its change gets: one step per location, in location order. */
export function versionsFor(states: ReadonlyMap<string, SkuStockState>, picks: readonly { sku: string; locationId: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  const bySku = new Map<string, Set<string>>();
  for (const p of picks) bySku.set(p.sku, (bySku.get(p.sku) ?? new Set()).add(p.locationId));
  for (const [sku, locations] of bySku) {
    let v = states.get(sku)!.version;
    for (const loc of [...locations].sort()) out.set(`${sku}\u0000${loc}`, ++v);
  }
  return out;
}

/** The state of a SKU after `picks`: reserved up, dedicated quota down (the version moves when the batch is written). */
export function applyPicks(state: SkuStockState, picks: readonly ReservationPick[], channel: string): SkuStockState {
  const levels = state.levels.map((l) => ({ ...l }));
  const rules = state.rules.map((r) => ({ ...r }));
  for (const p of picks.filter((x) => x.sku === state.sku)) {
    levels.find((l) => l.locationId === p.locationId && l.ownerId === p.ownerId)!.reserved += p.quantity;
    const rule = rules.find((r) => r.channel === channel && r.mode === 'dedicated');
    if (rule) rule.quotaRemaining -= p.quotaUnits;
  }
  return { ...state, levels, rules };
}
