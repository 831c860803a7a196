import type { StockMovementType } from '@omni/contracts';
import { queryRows, type SqlExecutor } from '@omni/sql';
import { DomainError, DomainErrorType, type ErrorDetail } from '@omni/platform';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { AtpCache } from '../redis-gate/atp-cache';
import { snapshotOf } from '../reservation/reservation.service';
import { lockSkus, type MovementInput, type SkuChange, type StockLedger } from '../stock/stock-ledger';
import { loadSkuStates } from '../stock/stock-reader';
import { OperationLogStore, type StockOperationKind } from './operation-log.store';

/** A movement a document asks for, with the request field to blame if it cannot be applied. */
export interface PlannedMovement extends MovementInput {
  /** Request field path, e.g. `lines.2.quantity`. */
  readonly field: string;
}

/** What a use case decided inside the transaction, before the ledger applies it. */
export interface OperationPlan<X = Record<string, never>> {
  readonly movements: PlannedMovement[];
  /** Use-case specific fields added to the result (transfer id, variances…). */
  readonly extra: X;
}

/** A SKU's levels at a location after the operation. */
export interface LocationLevelView {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}

/** The answer to every stock operation; a repeat of the request gets the same one. */
export type StockOperationResult<X = Record<string, never>> = {
  operationId: string;
  kind: StockOperationKind;
  movements: Array<{ sku: string; locationId: string; ownerId: string; type: StockMovementType; onHandDelta: number }>;
  levels: LocationLevelView[];
} & X;

/** A result and whether it was replayed from the log. */
export interface OperationOutcome<X> {
  result: StockOperationResult<X>;
  replayed: boolean;
}

/** What opens a transaction: the DataSource, or the EntityManager of a transaction already open (an event handler's inbox transaction). */
export type TransactionHost = Pick<DataSource, 'transaction'>;

const key3 = (m: { sku: string; locationId: string; ownerId: string }) => `${m.sku}\u0000${m.locationId}\u0000${m.ownerId}`;

/**
 * Runs one internal stock write as one transaction: claim the idempotency key, let the use case
 * plan its movements under the SKU locks, refuse what would leave on hand below zero or below
 * reserved (409 naming the line), apply through the StockLedger (ledger rows, levels, versions,
 * stock-changed and stock-low in the outbox), store the result, then refresh the Redis gate.
 */
export class StockOperationRunner {
  private readonly log = new OperationLogStore();

  constructor(
    /** Opens each operation's transaction; an EntityManager of an open transaction runs it in a savepoint of that one. */
    private readonly dataSource: TransactionHost,
    /** Built with LowStockAlertingSink, so thresholds are evaluated with every change it applies. */
    private readonly ledger: StockLedger,
    private readonly cache: AtpCache | null = null,
  ) {}

  /** Runs `plan` once per idempotency key; a repeat returns the first result and changes nothing. */
  async run<X>(
    kind: StockOperationKind,
    idempotencyKey: string,
    body: object,
    /** SKUs the plan reads levels of (locked first, sorted); others are locked by the checks and the ledger. */
    lockFirst: readonly string[],
    plan: (tx: SqlExecutor, operationId: string) => Promise<OperationPlan<X>>,
  ): Promise<OperationOutcome<X>> {
    let changes: SkuChange[] = [];
    const outcome = await this.dataSource.transaction(async (tx): Promise<OperationOutcome<X>> => {
      const claim = await this.log.claim<StockOperationResult<X>>(tx, idempotencyKey, kind, body, uuidv7());
      if (claim.status === 'done') return { result: claim.result, replayed: true };
      const operationId = claim.operationId;
      if (lockFirst.length > 0) await lockSkus(tx, lockFirst, true);
      const { movements, extra } = await plan(tx, operationId);
      await refuseShortfalls(tx, movements);
      changes = await this.ledger.applyMovements(
        tx,
        movements.map(({ field: _field, ...m }) => ({ ...m, ref: m.ref ?? operationId })),
      );
      const result = {
        operationId,
        kind,
        movements: movements.map((m) => ({ sku: m.sku, locationId: m.locationId, ownerId: m.ownerId, type: m.type, onHandDelta: m.onHandDelta })),
        levels: changes.flatMap((c) =>
          c.locations.map((l) => ({ sku: c.sku, locationId: l.locationId, onHand: l.onHand, reserved: l.reserved, available: l.available, version: l.version })),
        ),
        ...extra,
      } as StockOperationResult<X>;
      await this.log.complete(tx, idempotencyKey, result);
      return { result, replayed: false };
    });
    await this.refreshCache(changes);
    return outcome;
  }

  /** Publishes the committed ATP to the Redis gate so it never refuses on stock that just arrived. */
  private async refreshCache(changes: readonly SkuChange[]): Promise<void> {
    if (!this.cache || changes.length === 0) return;
    try {
      await this.cache.write(changes.map(snapshotOf));
    } catch {
      // Redis down: the reconciler rebuilds stale entries from Postgres.
    }
  }
}

/**
 * Refuses the batch when any (sku, location, owner) would end with on hand below zero or below
 * what is reserved there, naming the last line that touches it. Runs under the SKU locks, so the
 * levels read are the ones the ledger will change.
 */
async function refuseShortfalls(tx: SqlExecutor, movements: readonly PlannedMovement[]): Promise<void> {
  const net = new Map<string, { m: PlannedMovement; delta: number }>();
  for (const m of movements) {
    const entry = net.get(key3(m));
    net.set(key3(m), { m, delta: (entry?.delta ?? 0) + m.onHandDelta });
  }
  const decreasing = [...net.values()].filter((e) => e.delta < 0);
  if (decreasing.length === 0) return;
  // Every SKU of the batch at once and sorted (as the ledger will), so lock order stays global.
  await lockSkus(tx, movements.map((m) => m.sku), true);
  const states = await loadSkuStates(tx, [...new Set(decreasing.map((e) => e.m.sku))]);
  const details: ErrorDetail[] = [];
  for (const { m, delta } of decreasing) {
    const level = states.get(m.sku)?.levels.find((l) => l.locationId === m.locationId && l.ownerId === m.ownerId);
    const onHand = level?.onHand ?? 0;
    const reserved = level?.reserved ?? 0;
    if (onHand + delta < reserved) {
      details.push({
        field: m.field,
        reason: `only ${onHand - reserved} unreserved on hand of ${m.sku} at location ${m.locationId} for owner ${m.ownerId}; needs ${-delta}`,
      });
    }
  }
  if (details.length > 0) {
    throw new DomainError(DomainErrorType.Conflict, 'INSUFFICIENT_STOCK', 'The operation would take stock below zero or below what is reserved', details);
  }
}

/** Refuses unknown locations and owners with the request field that names them. */
export async function requireKnown(
  tx: SqlExecutor,
  refs: { locations: Array<{ id: string; field: string }>; owners: Array<{ id: string; field: string }> },
): Promise<void> {
  const locationIds = [...new Set(refs.locations.map((r) => r.id))];
  const ownerIds = [...new Set(refs.owners.map((r) => r.id))];
  const known = await queryRows<{ kind: string; id: string }>(
    tx,
    `SELECT 'location' AS kind, id FROM locations WHERE id = ANY($1::uuid[])
     UNION ALL SELECT 'owner' AS kind, id FROM owners WHERE id = ANY($2::uuid[])`,
    [locationIds, ownerIds],
  );
  const knownLocations = new Set(known.filter((r) => r.kind === 'location').map((r) => r.id));
  const knownOwners = new Set(known.filter((r) => r.kind === 'owner').map((r) => r.id));
  const details: ErrorDetail[] = [
    ...refs.locations.filter((r) => !knownLocations.has(r.id)).map((r) => ({ field: r.field, reason: `unknown location ${r.id}` })),
    ...refs.owners.filter((r) => !knownOwners.has(r.id)).map((r) => ({ field: r.field, reason: `unknown owner ${r.id}` })),
  ];
  if (details.length > 0) {
    throw new DomainError(DomainErrorType.NotAllowed, 'UNKNOWN_REFERENCE', 'The request names locations or owners that do not exist', details);
  }
}
