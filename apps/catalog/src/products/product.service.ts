import { Injectable } from '@nestjs/common';
import type { ProductMedia, ProductSku } from '@omni/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { conflict, invalid, notFound } from '../common/catalog.errors';
import { IdempotentWriter } from '../common/idempotent.writer';
import { queryRows, runTransaction } from '@omni/sql';
import type { CreateProductDto, ListProductsQueryDto, ProductPage, ProductView, PutListingDto, UpdateProductDto } from './product.dto';
import { ProductChanges, productNotFound } from './product-changes.service';
import { loadProductRecords, toProductView } from './product.record';

/** Media sorted by position; positions must be unique so the display order is unambiguous. */
export function orderedMedia(media: readonly ProductMedia[], field: string): ProductMedia[] {
  const positions = new Set<number>();
  for (const item of media) {
    if (positions.has(item.position)) throw invalid('DUPLICATE_MEDIA_POSITION', `Two media share position ${item.position}`, field, 'positions must be unique');
    positions.add(item.position);
  }
  return [...media].sort((a, b) => a.position - b.position).map(({ kind, url, position }) => ({ kind, url, position }));
}

/** Escapes LIKE wildcards so a search for `50%` means the text. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function skuTaken(sku: string, field: string): Error {
  return conflict('SKU_TAKEN', `SKU ${sku} already exists`, field, 'already used by a product');
}

/** Product, SKU and listing writes; each one is a single transaction that publishes product-changed. */
@Injectable()
export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotentWriter,
    private readonly changes: ProductChanges,
  ) {}

  /** Creates a product with its SKUs (once per Idempotency-Key). */
  create(input: CreateProductDto, idempotencyKey: string | undefined): Promise<ProductView> {
    return this.idempotency.run(idempotencyKey, 'product.create', input, async (tx) => {
      const id = uuidv7();
      const categoryIds = await this.checkReferences(tx, input.brandId ?? null, input.categoryIds ?? []);
      const media = orderedMedia(input.media ?? [], 'media');
      const skus = input.skus ?? [];
      const codes = new Set<string>();
      skus.forEach((s, index) => {
        if (codes.has(s.sku)) throw invalid('DUPLICATE_SKU', `SKU ${s.sku} is listed twice`, `skus.${index}.sku`, 'listed twice');
        codes.add(s.sku);
      });
      await tx.query(
        `INSERT INTO products (id, title, description, brand_id, category_ids, tags, media, version, change_seq)
         VALUES ($1, $2, $3, $4, $5::uuid[], $6::text[], $7::jsonb, 1, nextval('product_change_seq'))`,
        [id, input.title, input.description ?? null, input.brandId ?? null, categoryIds, [...new Set(input.tags ?? [])], JSON.stringify(media)],
      );
      for (const [index, sku] of skus.entries()) await this.insertSku(tx, id, sku, `skus.${index}.sku`);
      return this.changes.created(tx, id);
    });
  }

  /** One product; 404 when unknown. */
  async get(id: string): Promise<ProductView> {
    const [record] = await loadProductRecords(this.dataSource.manager, [id]);
    if (!record) throw productNotFound(id);
    return toProductView(record);
  }

  /** Back-office search by category subtree, tag, brand and title, paged by id. */
  async list(query: ListProductsQueryDto): Promise<ProductPage> {
    const limit = query.limit ?? 50;
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `WITH RECURSIVE sub(id) AS (
         SELECT $1::uuid WHERE $1::uuid IS NOT NULL
         UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id
       )
       SELECT p.id FROM products p
        WHERE ($1::uuid IS NULL OR p.category_ids && ARRAY(SELECT id FROM sub))
          AND ($2::text IS NULL OR $2 = ANY(p.tags))
          AND ($3::uuid IS NULL OR p.brand_id = $3)
          AND ($4::text IS NULL OR p.title ILIKE '%' || $4 || '%')
          AND ($5::uuid IS NULL OR p.id > $5)
        ORDER BY p.id LIMIT $6`,
      [query.categoryId ?? null, query.tag ?? null, query.brandId ?? null, query.q === undefined ? null : escapeLike(query.q), query.after ?? null, limit + 1],
    );
    const ids = rows.slice(0, limit).map((r) => r.id);
    const items = (await loadProductRecords(this.dataSource.manager, ids)).map(toProductView);
    return { items, nextAfter: rows.length > limit ? ids[ids.length - 1] : null };
  }

  /** Changes the given fields. */
  update(id: string, patch: UpdateProductDto): Promise<ProductView> {
    return runTransaction(this.dataSource, async (tx) => {
      await this.changes.lock(tx, id);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown, cast = ''): void => {
        params.push(value);
        sets.push(`${column} = $${params.length}${cast}`);
      };
      if (patch.title !== undefined) set('title', patch.title);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.brandId !== undefined || patch.categoryIds !== undefined) {
        const categoryIds = await this.checkReferences(tx, patch.brandId ?? null, patch.categoryIds ?? []);
        if (patch.brandId !== undefined) set('brand_id', patch.brandId);
        if (patch.categoryIds !== undefined) set('category_ids', categoryIds, '::uuid[]');
      }
      if (patch.tags !== undefined) set('tags', [...new Set(patch.tags)], '::text[]');
      if (patch.media !== undefined) set('media', JSON.stringify(orderedMedia(patch.media, 'media')), '::jsonb');
      if (sets.length > 0) await tx.query(`UPDATE products SET ${sets.join(', ')} WHERE id = $1`, params);
      const [view] = await this.changes.changed(tx, [id]);
      return view;
    });
  }

  /** Deletes a product and its SKUs; they leave every store assortment. */
  delete(id: string): Promise<void> {
    return runTransaction(this.dataSource, (tx) => this.changes.delete(tx, id));
  }

  /** Adds a SKU (once per Idempotency-Key). */
  addSku(id: string, sku: ProductSku, idempotencyKey: string | undefined): Promise<ProductView> {
    return this.idempotency.run(idempotencyKey, `product.sku.add:${id}`, sku, async (tx) => {
      await this.changes.lock(tx, id);
      await this.insertSku(tx, id, sku, 'sku');
      const [view] = await this.changes.changed(tx, [id]);
      return view;
    });
  }

  /** Replaces a SKU's attributes. */
  updateSku(id: string, sku: string, attributes: Record<string, string>): Promise<ProductView> {
    return runTransaction(this.dataSource, async (tx) => {
      await this.changes.lock(tx, id);
      const updated = await queryRows(tx, `UPDATE skus SET attributes = $3::jsonb WHERE product_id = $1 AND code = $2 RETURNING code`, [
        id,
        sku,
        JSON.stringify(attributes),
      ]);
      if (updated.length === 0) throw notFound('SKU_NOT_FOUND', 'SKU', sku, 'sku');
      const [view] = await this.changes.changed(tx, [id]);
      return view;
    });
  }

  /** Removes a SKU; it leaves every store assortment and its labels are withdrawn. */
  removeSku(id: string, sku: string): Promise<ProductView> {
    return runTransaction(this.dataSource, async (tx) => {
      await this.changes.lock(tx, id);
      const owned = await queryRows(tx, `SELECT code FROM skus WHERE product_id = $1 AND code = $2`, [id, sku]);
      if (owned.length === 0) throw notFound('SKU_NOT_FOUND', 'SKU', sku, 'sku');
      await tx.query(`DELETE FROM store_assortments WHERE sku = $1`, [sku]);
      await tx.query(`DELETE FROM skus WHERE code = $1`, [sku]);
      const [view] = await this.changes.changed(tx, [id], [sku]);
      return view;
    });
  }

  /** Creates or replaces the product's listing on one channel. */
  putListing(id: string, channel: string, input: PutListingDto): Promise<ProductView> {
    return runTransaction(this.dataSource, async (tx) => {
      await this.changes.lock(tx, id);
      if (input.displayProfile) {
        // FOR SHARE waits out a profile change in flight, so the snapshot carries the profile as committed.
        const found = await queryRows(tx, `SELECT code FROM display_profiles WHERE code = $1 FOR SHARE`, [input.displayProfile]);
        if (found.length === 0) throw invalid('UNKNOWN_DISPLAY_PROFILE', `Display profile ${input.displayProfile} does not exist`, 'displayProfile', 'unknown display profile');
      }
      const media = input.media ? orderedMedia(input.media, 'media') : null;
      await tx.query(
        `INSERT INTO product_listings (product_id, channel, visible, title, media, display_profile) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (product_id, channel) DO UPDATE SET visible = EXCLUDED.visible, title = EXCLUDED.title, media = EXCLUDED.media,
           display_profile = EXCLUDED.display_profile`,
        [id, channel, input.visible, input.title ?? null, media === null ? null : JSON.stringify(media), input.displayProfile ?? null],
      );
      const [view] = await this.changes.changed(tx, [id]);
      return view;
    });
  }

  /** Removes the product's listing on one channel (the channel then uses the defaults). */
  deleteListing(id: string, channel: string): Promise<ProductView> {
    return runTransaction(this.dataSource, async (tx) => {
      await this.changes.lock(tx, id);
      const deleted = await queryRows(tx, `DELETE FROM product_listings WHERE product_id = $1 AND channel = $2 RETURNING channel`, [id, channel]);
      if (deleted.length === 0) throw notFound('LISTING_NOT_FOUND', 'Listing', channel, 'channel');
      const [view] = await this.changes.changed(tx, [id]);
      return view;
    });
  }

  private async insertSku(tx: EntityManager, productId: string, sku: ProductSku, field: string): Promise<void> {
    const inserted = await queryRows(
      tx,
      `INSERT INTO skus (code, product_id, attributes) VALUES ($1, $2, $3::jsonb) ON CONFLICT (code) DO NOTHING RETURNING code`,
      [sku.sku, productId, JSON.stringify(sku.attributes)],
    );
    if (inserted.length === 0) throw skuTaken(sku.sku, field);
  }

  /** Checks the brand and categories exist; returns the categories without repeats. */
  private async checkReferences(tx: EntityManager, brandId: string | null, categoryIds: readonly string[]): Promise<string[]> {
    if (brandId !== null) {
      const found = await queryRows(tx, `SELECT id FROM brands WHERE id = $1 FOR KEY SHARE`, [brandId]);
      if (found.length === 0) throw invalid('UNKNOWN_BRAND', `Brand ${brandId} does not exist`, 'brandId', 'unknown brand');
    }
    const unique = [...new Set(categoryIds)];
    if (unique.length === 0) return unique;
    // KEY SHARE keeps a concurrent delete of the category out until this commits, without blocking renames and moves.
    const found = await queryRows<{ id: string }>(tx, `SELECT id FROM categories WHERE id = ANY($1::uuid[]) FOR KEY SHARE`, [unique]);
    const known = new Set(found.map((row) => row.id));
    const index = categoryIds.findIndex((c) => !known.has(c));
    if (index >= 0) throw invalid('UNKNOWN_CATEGORY', `Category ${categoryIds[index]} does not exist`, `categoryIds.${index}`, 'unknown category');
    return unique;
  }
}
