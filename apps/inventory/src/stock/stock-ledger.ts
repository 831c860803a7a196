/*
 * StockLedger — the only way stock levels change outside the reservation hot path.
 *
 * Contract (for receipts, returns, adjustments, stocktakes, transfers and the reservation paths):
 * - Call `applyMovements(tx, movements)` inside YOUR transaction (TypeORM EntityManager of a
 *   transaction, or any SqlExecutor). Commit or roll back yourself; nothing here commits.
 * - It locks the SKUs' sku_stock rows FOR UPDATE in sorted order (creating rows for new SKUs), so
 *   it serialises with reservations and other movements of the same SKUs. Lock sku_stock yourself
 *   first only if you must read before deciding; the lock is re-entrant within the transaction.
 * - Each movement is one ledger row (type, on_hand_delta, reserved_delta, channel, ref). Deltas of
 *   several movements on the same (sku, location, owner) add up; the whole batch is refused with a
 *   DomainError when any level would end with on_hand < 0, reserved < 0 or reserved > on_hand
 *   (codes STOCK_WOULD_GO_NEGATIVE, RESERVED_WOULD_GO_NEGATIVE, RESERVED_EXCEEDS_ON_HAND); an
 *   unknown location or owner is UNKNOWN_LOCATION_OR_OWNER. On a DomainError roll back.
 * - The SKU version grows by one per (sku, location) changed; ledger rows carry it.
 * - stock-changed is emitted HERE, through the StockChangedSink (the transactional outbox), one
 *   event per (sku, location) changed, with ATP for the SKU's allocated + active channels. Callers
 *   never emit stock-changed themselves. The returned SkuChange[] lets a caller refresh caches
 *   (Redis ATP) after its commit.
 * - Dedicated channel quotas are not ledger data: the reservation service changes them itself.
 */
import { DomainError, DomainErrorType } from '@omni/platform';
import { StockChangeCause, StockChangedEvent, STOCK_MOVEMENT_TYPES, StockMovementType } from '@omni/contracts';
import { Clock, SystemClock } from '@omni/tcc';
import { v7 as uuidv7 } from 'uuid';
import { channelAtps } from '../allocation/atp.calculator';
import { affectedChannels, AtpView, atpViewOf, basisOf, loadSkuStates, SkuStockState } from './stock-reader';
import { type SqlExecutor, queryRows } from '@omni/sql';

/** One movement to record: deltas are signed integers, at least one of them non-zero. */
export interface MovementInput {
  sku: string;
  locationId: string;
  ownerId: string;
  type: StockMovementType;
  onHandDelta: number;
  reservedDelta: number;
  /** Channel on whose behalf stock moved (reservations), else null. */
  channel?: string | null;
  /** Document or branch the movement belongs to (receipt id, gid/branchId, …). */
  ref?: string | null;
}

/** What a batch changed for one SKU: its new version and the new levels per changed location. */
export interface SkuChange {
  sku: string;
  version: number;
  /** ATP per affected channel after the change (for cache refresh). */
  atp: Array<{ channel: string; available: number }>;
  locations: Array<{ locationId: string; version: number; onHand: number; reserved: number; available: number; cause: StockChangeCause }>;
}

/** Where stock-changed events go inside the caller's transaction (the outbox in the service). */
export interface StockChangedSink {
  /** Writes the events in `tx`; they must only become visible if `tx` commits. */
  stockChanged(tx: SqlExecutor, events: StockChangedEvent[]): Promise<void>;
}

/** Options of the ledger. */
export interface StockLedgerOptions {
  /** Channels every stock-changed reports on besides those with allocation rows (env INVENTORY_CHANNELS). */
  activeChannels?: readonly string[];
  clock?: Clock;
}

const TYPES = new Set<string>(STOCK_MOVEMENT_TYPES);

function refuse(code: string, message: string, type = DomainErrorType.NotAllowed): DomainError {
  return new DomainError(type, code, message);
}

/** Movements of units a reservation holds: their SKU's sku_stock row exists already. */
const HELD_UNIT_MOVES: ReadonlySet<string> = new Set(['reservation', 'release', 'deduction']);

/** Applies movements to stock levels and the ledger atomically (see the contract at the top of the file). */
export class StockLedger {
  private readonly activeChannels: readonly string[];
  private readonly clock: Clock;

  constructor(private readonly sink: StockChangedSink, options: StockLedgerOptions = {}) {
    this.activeChannels = options.activeChannels ?? [];
    this.clock = options.clock ?? new SystemClock();
  }

  /** Records `movements` in `tx`; refuses the whole batch (DomainError) if any level would break an invariant. */
  async applyMovements(tx: SqlExecutor, movements: MovementInput[]): Promise<SkuChange[]> {
    if (movements.length === 0) return [];
    for (const m of movements) validate(m);
    const skus = [...new Set(movements.map((m) => m.sku))].sort();
    // Holding, releasing and deducting move units a reservation already holds, so their SKUs and
    // levels have rows; only stock arriving (receipts, adjustments, transfers in, restocks) may name
    // a new SKU or level. (A held move naming a missing level is refused by the checks below: its
    // reserved units would exceed, or go below, what the level holds.)
    const heldOnly = movements.every((m) => HELD_UNIT_MOVES.has(m.type));
    if (!heldOnly) await createSkus(tx, skus);
    const states = await loadSkuStates(tx, skus, { lock: true });

    // New levels per (sku, location, owner), checked before anything is written.
    const key = (m: { sku: string; locationId: string; ownerId: string }) => `${m.sku}\u0000${m.locationId}\u0000${m.ownerId}`;
    const deltas = new Map<string, { sku: string; locationId: string; ownerId: string; onHand: number; reserved: number }>();
    for (const m of movements) {
      const d = deltas.get(key(m)) ?? { sku: m.sku, locationId: m.locationId, ownerId: m.ownerId, onHand: 0, reserved: 0 };
      d.onHand += m.onHandDelta;
      d.reserved += m.reservedDelta;
      deltas.set(key(m), d);
    }
    for (const d of deltas.values()) {
      const current = states.get(d.sku)?.levels.find((l) => l.locationId === d.locationId && l.ownerId === d.ownerId);
      const onHand = (current?.onHand ?? 0) + d.onHand;
      const reserved = (current?.reserved ?? 0) + d.reserved;
      const where = `${d.sku} at ${d.locationId} (owner ${d.ownerId})`;
      if (onHand < 0) throw refuse('STOCK_WOULD_GO_NEGATIVE', `on hand of ${where} would become ${onHand}`);
      if (reserved < 0) throw refuse('RESERVED_WOULD_GO_NEGATIVE', `reserved of ${where} would become ${reserved}`);
      if (reserved > onHand) throw refuse('RESERVED_EXCEEDS_ON_HAND', `reserved ${reserved} of ${where} would exceed on hand ${onHand}`);
    }

    const changed = [...deltas.values()];
    const cols = [changed.map((d) => d.sku), changed.map((d) => d.locationId), changed.map((d) => d.ownerId)];
    if (!heldOnly) await createLevels(tx, cols);

    // One version per (sku, location) changed, in location order, so each stock-changed has its own version.
    const versionOf = new Map<string, number>();
    const newVersion = new Map<string, number>();
    for (const sku of skus) {
      let v = states.get(sku)?.version ?? 0;
      const locations = [...new Set(movements.filter((m) => m.sku === sku).map((m) => m.locationId))].sort();
      for (const loc of locations) versionOf.set(`${sku}\u0000${loc}`, ++v);
      newVersion.set(sku, v);
    }
    const rows = movements.map((m) => ({ ...m, id: uuidv7(), version: versionOf.get(`${m.sku}\u0000${m.locationId}`)! }));
    // The levels, the ledger rows and the SKUs' versions in one statement (each part of it runs to
    // completion, whether or not the final SELECT reads it), so the SKUs' locks are held one round
    // trip, not three.
    const [written] = await queryRows<{ levels: number }>(
      tx,
      `WITH d AS (SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::int[], $5::int[]) AS d(sku, location_id, owner_id, on_hand, reserved)),
            u AS (UPDATE stock_levels l SET on_hand = l.on_hand + d.on_hand, reserved = l.reserved + d.reserved, updated_at = now()
                    FROM d WHERE l.sku = d.sku AND l.location_id = d.location_id AND l.owner_id = d.owner_id RETURNING 1),
            m AS (INSERT INTO stock_movements (id, sku, location_id, owner_id, type, on_hand_delta, reserved_delta, channel, ref, sku_version)
                    SELECT * FROM unnest($6::uuid[], $7::text[], $8::uuid[], $9::uuid[], $10::text[], $11::int[], $12::int[], $13::text[], $14::text[], $15::bigint[])),
            v AS (UPDATE sku_stock s SET version = v.version, updated_at = now()
                    FROM unnest($16::text[], $17::bigint[]) AS v(sku, version) WHERE s.sku = v.sku)
       SELECT (SELECT count(*) FROM u)::int AS levels`,
      [
        ...cols, changed.map((d) => d.onHand), changed.map((d) => d.reserved),
        rows.map((r) => r.id), rows.map((r) => r.sku), rows.map((r) => r.locationId), rows.map((r) => r.ownerId), rows.map((r) => r.type),
        rows.map((r) => r.onHandDelta), rows.map((r) => r.reservedDelta), rows.map((r) => r.channel ?? null), rows.map((r) => r.ref ?? null),
        rows.map((r) => r.version),
        skus, skus.map((sku) => newVersion.get(sku)!),
      ],
    );
    if (written.levels !== changed.length) throw new Error(`stock ledger: ${changed.length} levels to change, ${written.levels} found (${cols[0].join(', ')})`);

    // Held moves only change levels the lock-time read holds: the state after them is that read plus
    // the deltas (nothing else in the SKU's state changes here). Arriving stock may add levels, whose
    // location and owner are read back.
    const after = heldOnly ? withDeltas(states, deltas.values(), newVersion) : await loadSkuStates(tx, skus);
    const changes = skus.map((sku) => this.describe(after.get(sku)!, movements.filter((m) => m.sku === sku), versionOf));
    await this.sink.stockChanged(tx, changes.flatMap((c) => this.events(c)));
    return changes;
  }

  /** ATP of `sku` for its allocated + active channels (and `extraChannels`), per channel and per channel × location. */
  async computeAtp(tx: SqlExecutor, sku: string, extraChannels: readonly string[] = []): Promise<AtpView | null> {
    const state = (await loadSkuStates(tx, [sku])).get(sku);
    if (!state) return null;
    return atpViewOf(state, [...new Set([...affectedChannels(state, this.activeChannels), ...extraChannels])].sort());
  }

  /**
   * Publishes a change that moved channel ATP without moving stock (a channel's allocation rule, a
   * location opening or closing). Levels stay as they are, but each location holding the SKU gets a
   * new version and a stock-changed with the new ATP, so a channel replaces the ATP it holds in
   * order, and a SKU held nowhere has nothing to announce. Call it in the transaction that made the
   * change; it locks the SKUs (re-entrant if the caller already holds them).
   */
  async announce(tx: SqlExecutor, skus: readonly string[], cause: Exclude<StockChangeCause, StockMovementType>): Promise<SkuChange[]> {
    const sorted = [...new Set(skus)].sort();
    if (sorted.length === 0) return [];
    const before = await loadSkuStates(tx, sorted, { lock: true });
    const versionOf = new Map<string, number>();
    const causes = new Map<string, Map<string, StockChangeCause>>();
    const bumped: Array<{ sku: string; version: number }> = [];
    for (const sku of sorted) {
      const state = before.get(sku);
      const locations = [...new Set(state?.levels.map((l) => l.locationId) ?? [])].sort();
      if (!state || locations.length === 0) continue;
      let v = state.version;
      for (const loc of locations) versionOf.set(`${sku}\u0000${loc}`, ++v);
      causes.set(sku, new Map(locations.map((loc) => [loc, cause])));
      bumped.push({ sku, version: v });
    }
    if (bumped.length === 0) return [];
    await setSkuVersions(tx, bumped.map((b) => b.sku), bumped.map((b) => b.version));
    const after = await loadSkuStates(tx, bumped.map((b) => b.sku));
    const changes = bumped.map(({ sku }) => skuChangeOf(after.get(sku)!, causes.get(sku)!, versionOf, this.activeChannels));
    await this.emit(tx, changes);
    return changes;
  }

  /** Emits stock-changed for changes written by a caller's own SQL (the reservation hot path). */
  async emit(tx: SqlExecutor, changes: readonly SkuChange[]): Promise<void> {
    await this.sink.stockChanged(tx, changes.flatMap((c) => this.events(c)));
  }

  /** The stock-changed events of a SkuChange, one per location, each with its own version. */
  events(change: SkuChange): StockChangedEvent[] {
    const occurredAt = this.clock.now().toISOString();
    return change.locations.map((l) =>
      Object.assign(new StockChangedEvent(), {
        schemaVersion: 1,
        occurredAt,
        sku: change.sku,
        locationId: l.locationId,
        version: l.version,
        onHand: l.onHand,
        reserved: l.reserved,
        available: l.available,
        atp: change.atp.map((a) => ({ ...a })),
        cause: l.cause,
      }),
    );
  }

  private describe(state: SkuStockState, movements: MovementInput[], versionOf: Map<string, number>): SkuChange {
    const causes = new Map<string, StockMovementType>();
    for (const m of movements) causes.set(m.locationId, m.type);
    return skuChangeOf(state, causes, versionOf, this.activeChannels);
  }
}

/**
 * Describes a SKU after a change: new levels of the changed locations (each with its version and
 * the movement type that caused it) and ATP for the allocated + active (+ extra) channels.
 */
export function skuChangeOf(
  state: SkuStockState,
  causes: ReadonlyMap<string, StockChangeCause>,
  versionOf: ReadonlyMap<string, number>,
  activeChannels: readonly string[],
  extraChannels: readonly string[] = [],
): SkuChange {
  const basis = basisOf(state);
  const locations = [...causes.keys()].sort().map((locationId) => {
    const here = state.levels.filter((l) => l.locationId === locationId);
    const onHand = here.reduce((s, l) => s + l.onHand, 0);
    const reserved = here.reduce((s, l) => s + l.reserved, 0);
    return { locationId, version: versionOf.get(`${state.sku}\u0000${locationId}`)!, onHand, reserved, available: onHand - reserved, cause: causes.get(locationId)! };
  });
  const channels = [...new Set([...affectedChannels(state, activeChannels), ...extraChannels])].sort();
  return { sku: state.sku, version: state.version, atp: channelAtps(basis, channels), locations };
}

/**
 * Creates the missing stock_levels rows of `cols` (sku, location, owner arrays) at zero: the deltas
 * are added after, so CHECKs apply to the final values, and an increment stays right even for a
 * writer that forgot to lock.
 */
async function createLevels(tx: SqlExecutor, cols: string[][]): Promise<void> {
  try {
    await tx.query(
      `INSERT INTO stock_levels (sku, location_id, owner_id) SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[])
       ON CONFLICT (sku, location_id, owner_id) DO NOTHING`,
      cols,
    );
  } catch (error) {
    if ((error as { code?: string }).code === '23503') {
      throw new DomainError(DomainErrorType.NotFound, 'UNKNOWN_LOCATION_OR_OWNER', 'a movement names an unknown location or owner', undefined, { cause: error });
    }
    throw error;
  }
}

/** `states` with each delta added to its (existing) level and each SKU at its new version. */
function withDeltas(
  states: ReadonlyMap<string, SkuStockState>,
  deltas: Iterable<{ sku: string; locationId: string; ownerId: string; onHand: number; reserved: number }>,
  versions: ReadonlyMap<string, number>,
): Map<string, SkuStockState> {
  const after = new Map<string, SkuStockState>();
  for (const [sku, state] of states) after.set(sku, { ...state, version: versions.get(sku) ?? state.version, levels: state.levels.map((l) => ({ ...l })) });
  for (const d of deltas) {
    const level = after.get(d.sku)?.levels.find((l) => l.locationId === d.locationId && l.ownerId === d.ownerId);
    if (!level) throw new Error(`stock ledger: no level of ${d.sku} at ${d.locationId} (owner ${d.ownerId}) in the locked read`);
    level.onHand += d.onHand;
    level.reserved += d.reserved;
  }
  return after;
}

/** Stores each SKU's new version (the caller holds the SKUs' locks). */
async function setSkuVersions(tx: SqlExecutor, skus: readonly string[], versions: readonly number[]): Promise<void> {
  await queryRows(
    tx,
    `WITH v AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS v(sku, version)),
          u AS (UPDATE sku_stock s SET version = v.version, updated_at = now() FROM v WHERE s.sku = v.sku RETURNING s.sku)
     SELECT count(*) FROM u`,
    [skus, versions],
  );
}

/** Inserts the sku_stock rows of `skus` that are missing (version 0); existing rows are left alone. */
async function createSkus(tx: SqlExecutor, skus: readonly string[]): Promise<void> {
  await tx.query(`INSERT INTO sku_stock (sku) SELECT unnest($1::text[]) ON CONFLICT (sku) DO NOTHING`, [[...new Set(skus)].sort()]);
}

/** Locks the sku_stock rows of `skus` FOR UPDATE in sorted order; with `create`, inserts missing rows first. */
export async function lockSkus(tx: SqlExecutor, skus: readonly string[], create: boolean): Promise<Map<string, number>> {
  const sorted = [...new Set(skus)].sort();
  if (create) await createSkus(tx, sorted);
  const rows = await queryRows(tx, `SELECT sku, version FROM sku_stock WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`, [sorted]);
  return new Map(rows.map((r) => [String(r.sku), Number(r.version)]));
}

function validate(m: MovementInput): void {
  const bad = (reason: string) => new DomainError(DomainErrorType.InvalidInput, 'INVALID_MOVEMENT', `movement of ${m.sku}: ${reason}`);
  if (!TYPES.has(m.type)) throw bad(`unknown type '${String(m.type)}'`);
  if (!Number.isInteger(m.onHandDelta) || !Number.isInteger(m.reservedDelta)) throw bad('deltas must be integers');
  if (m.onHandDelta === 0 && m.reservedDelta === 0) throw bad('moves nothing');
  if (!m.sku || !m.locationId || !m.ownerId) throw bad('sku, locationId and ownerId are required');
  // What stock-changed promises its consumers (movesAvailability): a deduction ships held units, so
  // on hand and reserved fall together and availability stays as it was.
  if (m.type === 'deduction' && !(m.onHandDelta < 0 && m.onHandDelta === m.reservedDelta)) throw bad('a deduction ships held units: onHandDelta and reservedDelta must be the same negative number');
}
