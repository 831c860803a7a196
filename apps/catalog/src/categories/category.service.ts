import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { conflict, invalid, notFound } from '../common/catalog.errors';
import { IdempotentWriter } from '../common/idempotent.writer';
import { queryRows, runTransaction } from '@omni/sql';
import { ProductChanges } from '../products/product-changes.service';
import type { CategoryView, CreateCategoryDto, UpdateCategoryDto } from './category.dto';
import { subtree, wouldCreateCycle, type ParentMap } from './category-tree';

/** Serialises tree-shape changes, so two concurrent moves cannot together form a loop. */
const TREE_LOCK = `SELECT pg_advisory_xact_lock(hashtext('catalog.category-tree'))`;

/** The category tree; moving a category republishes the products below it (their ancestry changed). */
@Injectable()
export class CategoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotentWriter,
    private readonly changes: ProductChanges,
  ) {}

  /** Creates a category (once per Idempotency-Key). */
  create(input: CreateCategoryDto, idempotencyKey: string | undefined): Promise<CategoryView> {
    return this.idempotency.run(idempotencyKey, 'category.create', input, async (tx) => {
      await tx.query(TREE_LOCK);
      if (input.parentId) await this.requireParent(tx, input.parentId);
      const [row] = await queryRows<CategoryView>(
        tx,
        `INSERT INTO categories (id, name, parent_id) VALUES ($1, $2, $3) RETURNING id, name, parent_id AS "parentId"`,
        [uuidv7(), input.name, input.parentId ?? null],
      );
      return row;
    });
  }

  /** The whole tree as a flat list (parents before children is not guaranteed; use parentId). */
  list(): Promise<CategoryView[]> {
    return queryRows<CategoryView>(this.dataSource, `SELECT id, name, parent_id AS "parentId" FROM categories ORDER BY name, id`);
  }

  /** Renames and/or moves a category; refuses a move that would make a loop. */
  update(id: string, patch: UpdateCategoryDto): Promise<CategoryView> {
    return runTransaction(this.dataSource, async (tx) => {
      await tx.query(TREE_LOCK);
      const parents = await this.parents(tx);
      if (!parents.has(id)) throw notFound('CATEGORY_NOT_FOUND', 'Category', id);
      const moving = patch.parentId !== undefined && patch.parentId !== parents.get(id);
      if (moving) {
        const parentId = patch.parentId ?? null;
        if (parentId !== null && !parents.has(parentId)) throw invalid('UNKNOWN_CATEGORY', `Category ${parentId} does not exist`, 'parentId', 'unknown category');
        if (wouldCreateCycle(parents, id, parentId)) {
          throw conflict('CATEGORY_CYCLE', 'A category cannot be moved below itself', 'parentId', 'is the category itself or one of its descendants');
        }
      }
      const affected = moving
        ? (await queryRows<{ id: string }>(tx, `SELECT id FROM products WHERE category_ids && $1::uuid[]`, [subtree(parents, id)])).map((p) => p.id)
        : [];
      // Products first, then the category: the lock order of single-product writes.
      await this.changes.lockMany(tx, affected);
      const [row] = await queryRows<CategoryView>(
        tx,
        `UPDATE categories SET name = COALESCE($2, name), parent_id = CASE WHEN $3 THEN $4::uuid ELSE parent_id END
          WHERE id = $1 RETURNING id, name, parent_id AS "parentId"`,
        [id, patch.name ?? null, moving, patch.parentId ?? null],
      );
      await this.changes.changed(tx, affected);
      return row;
    });
  }

  /** Deletes a category that has no children and no products. */
  delete(id: string): Promise<void> {
    return runTransaction(this.dataSource, async (tx) => {
      await tx.query(TREE_LOCK);
      // Locking the row first waits out product writes that reference it (they hold it FOR SHARE).
      const found = await queryRows(tx, `SELECT id FROM categories WHERE id = $1 FOR UPDATE`, [id]);
      if (found.length === 0) throw notFound('CATEGORY_NOT_FOUND', 'Category', id);
      const [usage] = await queryRows<{ children: number; products: number }>(
        tx,
        `SELECT (SELECT count(*)::int FROM categories WHERE parent_id = $1) AS children,
                (SELECT count(*)::int FROM products WHERE $1 = ANY(category_ids)) AS products`,
        [id],
      );
      if (usage.children > 0) throw conflict('CATEGORY_HAS_CHILDREN', 'Move or delete the subcategories first', 'id', 'has subcategories');
      if (usage.products > 0) throw conflict('CATEGORY_IN_USE', 'Products still belong to this category', 'id', 'has products');
      await tx.query(`DELETE FROM categories WHERE id = $1`, [id]);
    });
  }

  private async requireParent(tx: EntityManager, parentId: string): Promise<void> {
    const found = await queryRows(tx, `SELECT id FROM categories WHERE id = $1`, [parentId]);
    if (found.length === 0) throw invalid('UNKNOWN_CATEGORY', `Category ${parentId} does not exist`, 'parentId', 'unknown category');
  }

  private async parents(tx: EntityManager): Promise<ParentMap> {
    const rows = await queryRows<{ id: string; parent_id: string | null }>(tx, `SELECT id, parent_id FROM categories`);
    return new Map(rows.map((row) => [row.id, row.parent_id]));
  }
}
