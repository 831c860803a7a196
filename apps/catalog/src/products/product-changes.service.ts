import { Injectable } from '@nestjs/common';
import { PRODUCT_CHANGED } from '@omni/contracts';
import { Outbox } from '@omni/messaging';
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/catalog.errors';
import { queryRows } from '@omni/sql';
import { ShelfLabelWriter } from '../shelf-labels/shelf-label.writer';
import type { ProductView } from './product.dto';
import { loadProductRecords, toProductSnapshot, toProductView } from './product.record';

/** The error every lookup of a missing product raises. */
export function productNotFound(id: string): ReturnType<typeof notFound> {
  return notFound('PRODUCT_NOT_FOUND', 'Product', id);
}

/**
 * The one way a product write becomes visible: in the write's transaction it bumps the product's
 * version (only ever up), queues exactly one `product-changed` with the resulting snapshot, and
 * brings the shelf labels of its SKUs up to date.
 */
@Injectable()
export class ProductChanges {
  constructor(
    private readonly outbox: Outbox,
    private readonly labels: ShelfLabelWriter,
  ) {}

  /** Locks the product row for the rest of the transaction; 404 when unknown. */
  async lock(tx: EntityManager, id: string): Promise<void> {
    const rows = await queryRows(tx, `SELECT id FROM products WHERE id = $1 FOR UPDATE`, [id]);
    if (rows.length === 0) throw productNotFound(id);
  }

  /**
   * Locks several products in id order. Writes that touch many products (profile, brand, category)
   * lock them before the row they change, the order single-product writes use too, so they cannot deadlock.
   */
  async lockMany(tx: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await tx.query(`SELECT id FROM products WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...ids]]);
  }

  /** Publishes a product just inserted with version 1. */
  async created(tx: EntityManager, id: string): Promise<ProductView> {
    return this.publish(tx, id, []);
  }

  /**
   * Publishes a change of each product (one new version and one event per product); `removedSkus`
   * are SKUs the change took away, whose labels must be withdrawn.
   */
  async changed(tx: EntityManager, ids: readonly string[], removedSkus: readonly string[] = []): Promise<ProductView[]> {
    const views: ProductView[] = [];
    // A fixed order keeps two multi-product writes from deadlocking on each other's rows.
    for (const id of [...new Set(ids)].sort()) {
      const bumped = await queryRows(
        tx,
        `UPDATE products SET version = version + 1, change_seq = nextval('product_change_seq'), updated_at = now() WHERE id = $1 RETURNING id`,
        [id],
      );
      if (bumped.length === 0) throw productNotFound(id);
      views.push(await this.publish(tx, id, removedSkus));
    }
    return views;
  }

  /** Deletes a product (its SKUs leave every assortment) and publishes the deletion as its next version. */
  async delete(tx: EntityManager, id: string): Promise<void> {
    const [row] = await queryRows<{ version: number }>(tx, `SELECT version FROM products WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw productNotFound(id);
    const skus = await queryRows<{ code: string }>(tx, `SELECT code FROM skus WHERE product_id = $1`, [id]);
    const codes = skus.map((s) => s.code);
    await tx.query(`DELETE FROM store_assortments WHERE sku = ANY($1::text[])`, [codes]);
    await tx.query(`DELETE FROM products WHERE id = $1`, [id]);
    await this.outbox.add(tx, PRODUCT_CHANGED, {
      schemaVersion: PRODUCT_CHANGED.version,
      occurredAt: new Date().toISOString(),
      productId: id,
      version: Number(row.version) + 1,
      op: 'deleted',
    });
    await this.labels.refresh(tx, { skus: codes });
  }

  private async publish(tx: EntityManager, id: string, removedSkus: readonly string[]): Promise<ProductView> {
    const [record] = await loadProductRecords(tx, [id]);
    if (!record) throw productNotFound(id);
    await this.outbox.add(tx, PRODUCT_CHANGED, {
      schemaVersion: PRODUCT_CHANGED.version,
      occurredAt: new Date().toISOString(),
      productId: id,
      version: record.version,
      op: 'upserted',
      product: toProductSnapshot(record),
    });
    await this.labels.refresh(tx, { skus: [...record.skus.map((s) => s.sku), ...removedSkus] });
    return toProductView(record);
  }
}
