import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { invalid, notFound } from '../common/catalog.errors';
import { queryRows, runTransaction } from '@omni/sql';
import { ShelfLabelWriter } from '../shelf-labels/shelf-label.writer';
import type { PutStoreDto, StoreView } from './store.dto';

const COLUMNS = `location_id AS "locationId", channel, name, low_stock_threshold AS "lowStockThreshold", label_version::int AS "labelVersion"`;

/** The error every lookup of an unknown store raises. */
export function storeNotFound(locationId: string): Error {
  return notFound('STORE_NOT_FOUND', 'Store', locationId, 'locationId');
}

/** Stores (inventory locations selling on a channel) and the SKUs each carries; every change refreshes its labels. */
@Injectable()
export class StoreService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly labels: ShelfLabelWriter,
  ) {}

  /** Registers or edits a store (idempotent by nature). */
  put(locationId: string, input: PutStoreDto): Promise<StoreView> {
    return runTransaction(this.dataSource, async (tx) => {
      await tx.query(
        `INSERT INTO stores (location_id, channel, name, low_stock_threshold) VALUES ($1, $2, $3, COALESCE($4, 3))
         ON CONFLICT (location_id) DO UPDATE SET channel = EXCLUDED.channel, name = EXCLUDED.name,
           low_stock_threshold = COALESCE($4, stores.low_stock_threshold)`,
        [locationId, input.channel, input.name, input.lowStockThreshold ?? null],
      );
      await this.labels.refresh(tx, { locationId });
      return this.get(locationId, tx);
    });
  }

  /** One store; 404 when unknown. */
  async get(locationId: string, tx: EntityManager = this.dataSource.manager): Promise<StoreView> {
    const [row] = await queryRows<StoreView>(tx, `SELECT ${COLUMNS} FROM stores WHERE location_id = $1`, [locationId]);
    if (!row) throw storeNotFound(locationId);
    return row;
  }

  /** The SKUs a store carries, sorted. */
  async assortment(locationId: string): Promise<{ locationId: string; skus: string[] }> {
    await this.get(locationId);
    const rows = await queryRows<{ sku: string }>(this.dataSource, `SELECT sku FROM store_assortments WHERE location_id = $1 ORDER BY sku`, [locationId]);
    return { locationId, skus: rows.map((r) => r.sku) };
  }

  /** Replaces the assortment with exactly `skus`. */
  replaceAssortment(locationId: string, skus: readonly string[]): Promise<{ locationId: string; skus: string[] }> {
    return this.changeAssortment(locationId, skus, 'skus', true, []);
  }

  /** Adds and removes SKUs; adding a carried SKU or removing one not carried changes nothing. */
  editAssortment(locationId: string, add: readonly string[], remove: readonly string[]): Promise<{ locationId: string; skus: string[] }> {
    return this.changeAssortment(locationId, add, 'add', false, remove);
  }

  private async changeAssortment(
    locationId: string,
    add: readonly string[],
    field: string,
    replace: boolean,
    remove: readonly string[],
  ): Promise<{ locationId: string; skus: string[] }> {
    await runTransaction(this.dataSource, async (tx) => {
      // The store row lock orders assortment edits with label refreshes of the same store.
      const found = await queryRows(tx, `SELECT location_id FROM stores WHERE location_id = $1 FOR UPDATE`, [locationId]);
      if (found.length === 0) throw storeNotFound(locationId);
      const known = await queryRows<{ code: string }>(tx, `SELECT code FROM skus WHERE code = ANY($1::text[]) FOR SHARE`, [[...new Set(add)]]);
      const knownSet = new Set(known.map((k) => k.code));
      const unknown = add.findIndex((sku) => !knownSet.has(sku));
      if (unknown >= 0) throw invalid('UNKNOWN_SKU', `SKU ${add[unknown]} does not exist`, `${field}.${unknown}`, 'unknown SKU');
      if (replace) await tx.query(`DELETE FROM store_assortments WHERE location_id = $1 AND NOT (sku = ANY($2::text[]))`, [locationId, [...add]]);
      if (remove.length > 0) await tx.query(`DELETE FROM store_assortments WHERE location_id = $1 AND sku = ANY($2::text[])`, [locationId, [...remove]]);
      await tx.query(
        `INSERT INTO store_assortments (location_id, sku) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [locationId, [...new Set(add)].filter((sku) => !remove.includes(sku))],
      );
      await this.labels.refresh(tx, { locationId });
    });
    return this.assortment(locationId);
  }
}
