import { Injectable, Optional } from '@nestjs/common';
import { DomainError, DomainErrorType } from '@omni/platform';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { PG_UNIQUE_VIOLATION, pgErrorCode, queryRows, type SqlExecutor, type SqlRow } from '@omni/sql';
import { AtpCache } from '../redis-gate/atp-cache';
import { StockLedger } from '../stock/stock-ledger';
import { CreateLocationDto, ListLocationsQueryDto, LocationView, UpdateLocationDto } from './location.dto';

const COLUMNS = `id, code, name, type, lat, lng, status, ships_in_days, created_at`;

/** Maps a locations row to its API view (numeric columns arrive as strings from pg). */
export function toLocationView(row: SqlRow): LocationView {
  return {
    id: String(row.id),
    code: String(row.code),
    name: String(row.name),
    type: row.type as LocationView['type'],
    lat: Number(row.lat),
    lng: Number(row.lng),
    status: row.status as LocationView['status'],
    shipsInDays: Number(row.ships_in_days),
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}

/** The error every lookup of a missing location raises. */
export function locationNotFound(id: string, field = 'id'): DomainError {
  return new DomainError(DomainErrorType.NotFound, 'LOCATION_NOT_FOUND', `Location ${id} does not exist`, [
    { field, reason: 'unknown location' },
  ]);
}

function codeTaken(code: string): DomainError {
  return new DomainError(DomainErrorType.Conflict, 'LOCATION_CODE_TAKEN', `Location code ${code} is already used`, [
    { field: 'code', reason: 'already used by another location' },
  ]);
}

/** Column of each updatable field. */
const UPDATABLE: Record<keyof UpdateLocationDto, string> = {
  code: 'code',
  name: 'name',
  type: 'type',
  lat: 'lat',
  lng: 'lng',
  status: 'status',
  shipsInDays: 'ships_in_days',
};

/** Creates, lists and edits locations (warehouses, stores, dark stores). */
@Injectable()
export class LocationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
    @Optional() private readonly cache?: AtpCache,
  ) {}

  /** Creates a location; its code must be unused. */
  async create(input: CreateLocationDto): Promise<LocationView> {
    try {
      const [row] = await queryRows(
        this.dataSource,
        `INSERT INTO locations (id, code, name, type, lat, lng, status, ships_in_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [uuidv7(), input.code, input.name, input.type, input.lat, input.lng, input.status ?? 'open', input.shipsInDays ?? 0],
      );
      return toLocationView(row);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw codeTaken(input.code);
      throw error;
    }
  }

  /** Lists locations, optionally by type and status, ordered by code. */
  async list(filter: ListLocationsQueryDto = {}): Promise<LocationView[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT ${COLUMNS} FROM locations
       WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR status = $2) ORDER BY code`,
      [filter.type ?? null, filter.status ?? null],
    );
    return rows.map(toLocationView);
  }

  /** One location; 404 when unknown. */
  async get(id: string, tx: SqlExecutor = this.dataSource): Promise<LocationView> {
    const [row] = await queryRows(tx, `SELECT ${COLUMNS} FROM locations WHERE id = $1`, [id]);
    if (!row) throw locationNotFound(id);
    return toLocationView(row);
  }

  /**
   * Changes the given fields; an empty patch returns the location unchanged. Opening or closing a
   * location changes what every SKU held there can promise: in the same transaction each such SKU
   * is announced as stock-changed (cause `location-status`) with its new channel ATP.
   */
  async update(id: string, patch: UpdateLocationDto): Promise<LocationView> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [field, column] of Object.entries(UPDATABLE) as [keyof UpdateLocationDto, string][]) {
      if (patch[field] === undefined) continue;
      params.push(patch[field]);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return this.get(id);
    let view: LocationView;
    try {
      view = await this.dataSource.transaction(async (tx) => {
        const before = await queryRows<{ status: string }>(tx, `SELECT status FROM locations WHERE id = $1 FOR UPDATE`, [id]);
        if (before.length === 0) throw locationNotFound(id);
        const rows = await queryRows(tx, `UPDATE locations SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
        const updated = toLocationView(rows[0]);
        if (updated.status !== before[0].status) {
          const skus = await queryRows<{ sku: string }>(tx, `SELECT DISTINCT sku FROM stock_levels WHERE location_id = $1`, [id]);
          await this.ledger.announce(tx, skus.map((r) => r.sku), 'location-status');
        }
        return updated;
      });
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION && patch.code) throw codeTaken(patch.code);
      throw error;
    }
    if (patch.status !== undefined) await this.dropCachedAtp(id);
    return view;
  }

  /**
   * Opening or closing a location changes what every SKU stocked there can promise without a new
   * SKU version, so cached ATP at the same version would stay stale: drop it (the next Try asks
   * Postgres and rebuilds it; the reconciler rebuilds missing entries).
   */
  private async dropCachedAtp(locationId: string): Promise<void> {
    if (!this.cache) return;
    const skus = await queryRows<{ sku: string }>(this.dataSource, `SELECT DISTINCT sku FROM stock_levels WHERE location_id = $1`, [locationId]);
    try {
      await this.cache.drop(skus.map((r) => r.sku));
    } catch {
      // Redis down: it comes back empty or is reconciled.
    }
  }
}
