import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { conflict, notFound } from '../common/catalog.errors';
import { IdempotentWriter } from '../common/idempotent.writer';
import { PG_UNIQUE_VIOLATION, pgErrorCode, queryRows, runTransaction } from '@omni/sql';
import { ProductChanges } from '../products/product-changes.service';
import type { BrandView } from './brand.dto';

function nameTaken(name: string): Error {
  return conflict('BRAND_NAME_TAKEN', `Brand ${name} already exists`, 'name', 'already used by another brand');
}

/** Brands; renaming one republishes every product that carries it. */
@Injectable()
export class BrandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotentWriter,
    private readonly changes: ProductChanges,
  ) {}

  /** Creates a brand (once per Idempotency-Key). */
  create(name: string, idempotencyKey: string | undefined): Promise<BrandView> {
    return this.idempotency.run(idempotencyKey, 'brand.create', { name }, async (tx) => {
      const rows = await queryRows<BrandView>(tx, `INSERT INTO brands (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name`, [uuidv7(), name]);
      if (rows.length === 0) throw nameTaken(name);
      return rows[0];
    });
  }

  /** Every brand by name. */
  list(): Promise<BrandView[]> {
    return queryRows<BrandView>(this.dataSource, `SELECT id, name FROM brands ORDER BY name`);
  }

  /** Renames a brand and republishes its products. */
  rename(id: string, name: string): Promise<BrandView> {
    return runTransaction(this.dataSource, async (tx) => {
      // Products first, then the brand: the lock order of single-product writes.
      const products = await queryRows<{ id: string }>(tx, `SELECT id FROM products WHERE brand_id = $1`, [id]);
      await this.changes.lockMany(tx, products.map((p) => p.id));
      let rows: BrandView[];
      try {
        rows = await queryRows<BrandView>(tx, `UPDATE brands SET name = $2 WHERE id = $1 RETURNING id, name`, [id, name]);
      } catch (error) {
        if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw nameTaken(name);
        throw error;
      }
      if (rows.length === 0) throw notFound('BRAND_NOT_FOUND', 'Brand', id);
      await this.changes.changed(tx, products.map((p) => p.id));
      return rows[0];
    });
  }
}
