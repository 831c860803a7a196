import type { Clock } from '@omni/tcc';
import { DataSource, EntityManager } from 'typeorm';
import type { DefinitionValidation } from '../domain';
import { EffectivePriceSync } from '../price-events/effective-price.sync';
import { conflict, definitionErrors, fieldError, notFound } from '../shared/definition-errors';
import { withIdempotency } from '@omni/platform';
import { PricingWriteRunner } from '../shared/pricing-write.runner';
import { queryRows } from '@omni/sql';
import { PricingSnapshotLoader } from '../snapshot/pricing-snapshot.loader';
import { DefinitionVersionView, DefinitionView } from './definition.views';

/** A definition as stored: id, version, kind and currency are what the store itself reads. */
export interface StoredDefinition {
  id: string;
  version: number;
  kind: string;
  currency: string;
}

/** What differs between price rules and coupon templates. */
export interface DefinitionKindConfig<T extends StoredDefinition> {
  /** Word used in codes and messages: 'rule' | 'coupon template'. */
  noun: string;
  /** Error-code stem, e.g. 'RULE' → RULE_NOT_FOUND. */
  codeStem: string;
  /** Head table (id, kind, latest_version, enabled) and versions table (id, version, definition). */
  table: string;
  versionsTable: string;
  /** The domain validator; error paths start with `body`. */
  validate(input: unknown): DefinitionValidation<T>;
  /** Extra head columns written with each version (e.g. the coupon code). */
  headColumns?(definition: T): Record<string, unknown>;
  /** Runs in the write's transaction after a version is stored (e.g. flash-sale counters). */
  afterWrite?(tx: EntityManager, definition: T): Promise<void>;
  /**
   * SKUs whose effective price a write of these definitions (old and new versions) can move:
   * undefined = all, [] = none. Coupons move no shelf price.
   */
  skusMoved(definitions: readonly T[], categories: ReadonlyMap<string, readonly string[]>): string[] | undefined;
}

interface HeadRow {
  id: string;
  kind: string;
  latest_version: number;
  enabled: boolean;
  updated_at: Date;
  definition: unknown;
}

/**
 * Versioned JSON definitions validated by the pricing domain on write. Creating stores version 1,
 * every update a new version (the latest applies; older ones stay for audit); enabling and
 * disabling flips the head. Each write bumps the pricing revision and publishes the price-changed
 * deltas it causes, in one transaction.
 */
export class DefinitionService<T extends StoredDefinition> {
  constructor(
    private readonly config: DefinitionKindConfig<T>,
    private readonly dataSource: DataSource,
    private readonly writes: PricingWriteRunner,
    private readonly snapshots: PricingSnapshotLoader,
    private readonly sync: EffectivePriceSync,
    private readonly clock: Clock,
    private readonly currency: string,
  ) {}

  /** Stores version 1 of a new definition; 409 when the id exists. */
  create(body: unknown, idempotencyKey?: string): Promise<DefinitionView<T>> {
    const definition = this.validated(body, 1);
    return this.writes.run((tx) =>
      withIdempotency(tx, idempotencyKey, `${this.config.table}:create`, body, async () => {
        const head = this.config.headColumns?.(definition) ?? {};
        const columns = ['id', 'kind', 'latest_version', ...Object.keys(head)];
        const values = [definition.id, definition.kind, 1, ...Object.values(head)];
        const inserted = await this.guardUnique(() =>
          queryRows(
            tx,
            `INSERT INTO ${this.config.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
             ON CONFLICT (id) DO NOTHING RETURNING id`,
            values,
          ),
        );
        if (inserted.length === 0) throw conflict(`${this.config.codeStem}_EXISTS`, `${this.config.noun} ${definition.id} already exists; update it instead`);
        return this.storeVersion(tx, definition, []);
      }),
    );
  }

  /** Stores a new version of an existing definition (the body's id, when given, must match). */
  update(id: string, body: unknown, idempotencyKey?: string): Promise<DefinitionView<T>> {
    if (body && typeof body === 'object' && !Array.isArray(body) && 'id' in body && (body as { id: unknown }).id !== id) {
      throw fieldError('id', `must be "${id}" (the id in the path) or left out`);
    }
    const withId = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), id } : body;
    return this.writes.run((tx) =>
      withIdempotency(tx, idempotencyKey, `${this.config.table}:update:${id}`, body, async () => {
        const [head] = await queryRows<{ latest_version: number }>(tx, `SELECT latest_version FROM ${this.config.table} WHERE id = $1 FOR UPDATE`, [id]);
        if (!head) throw notFound(`${this.config.codeStem}_NOT_FOUND`, `no ${this.config.noun} ${id}`);
        const definition = this.validated(withId, head.latest_version + 1);
        const previous = await this.definitionOf(tx, id, head.latest_version);
        const extra = this.config.headColumns?.(definition) ?? {};
        const sets = ['kind = $2', 'latest_version = $3', 'updated_at = now()', ...Object.keys(extra).map((c, i) => `${c} = $${i + 4}`)];
        await this.guardUnique(() =>
          tx.query(`UPDATE ${this.config.table} SET ${sets.join(', ')} WHERE id = $1`, [id, definition.kind, definition.version, ...Object.values(extra)]),
        );
        return this.storeVersion(tx, definition, previous ? [previous] : []);
      }),
    );
  }

  /** Turns a definition on or off (off: quotes and effective prices ignore it). */
  setEnabled(id: string, enabled: boolean): Promise<DefinitionView<T>> {
    return this.writes.run(async (tx) => {
      const rows = await queryRows(tx, `UPDATE ${this.config.table} SET enabled = $2, updated_at = now() WHERE id = $1 RETURNING id`, [id, enabled]);
      if (rows.length === 0) throw notFound(`${this.config.codeStem}_NOT_FOUND`, `no ${this.config.noun} ${id}`);
      const view = await this.view(tx, id);
      await this.publishDeltas(tx, [view.definition]);
      return view;
    });
  }

  /** The latest version of a definition. */
  get(id: string): Promise<DefinitionView<T>> {
    return this.view(this.dataSource.manager, id);
  }

  /** Every definition (latest versions), by id. */
  async list(): Promise<DefinitionView<T>[]> {
    const rows = await queryRows<HeadRow>(this.dataSource, `${this.headSelect()} ORDER BY h.id`);
    return rows.map((row) => this.toView(row));
  }

  /** Every stored version of a definition, newest first. */
  async versions(id: string): Promise<DefinitionVersionView<T>[]> {
    const rows = await queryRows<{ version: number; definition: T; created_at: Date }>(
      this.dataSource,
      `SELECT version, definition, created_at FROM ${this.config.versionsTable} WHERE id = $1 ORDER BY version DESC`,
      [id],
    );
    if (rows.length === 0) throw notFound(`${this.config.codeStem}_NOT_FOUND`, `no ${this.config.noun} ${id}`);
    return rows.map((r) => ({ version: r.version, definition: r.definition, createdAt: new Date(r.created_at).toISOString() }));
  }

  private validated(body: unknown, version: number): T {
    // The server numbers versions; a client-sent version is replaced rather than trusted.
    const candidate = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), version } : body;
    const result = this.config.validate(candidate);
    if (!result.ok) throw definitionErrors(result.errors);
    if (result.value.currency !== this.currency) throw fieldError('currency', `must be ${this.currency} (the currency of this deployment)`);
    return result.value;
  }

  private async storeVersion(tx: EntityManager, definition: T, previous: T[]): Promise<DefinitionView<T>> {
    await tx.query(`INSERT INTO ${this.config.versionsTable} (id, version, definition) VALUES ($1, $2, $3::jsonb)`, [
      definition.id,
      definition.version,
      JSON.stringify(definition),
    ]);
    await this.config.afterWrite?.(tx, definition);
    await this.publishDeltas(tx, [...previous, definition]);
    return this.view(tx, definition.id);
  }

  /** Publishes the price-changed deltas of a write, over the SKUs its definitions can move. */
  private async publishDeltas(tx: EntityManager, definitions: T[]): Promise<void> {
    const snapshot = await this.snapshots.load(tx);
    const skus = this.config.skusMoved(definitions, snapshot.categories);
    if (skus && skus.length === 0) return;
    await this.sync.publishDeltas(tx, snapshot, this.clock.now(), skus?.filter((sku) => snapshot.categories.has(sku) || snapshot.skus.includes(sku)));
  }

  private async definitionOf(tx: EntityManager, id: string, version: number): Promise<T | undefined> {
    const [row] = await queryRows<{ definition: T }>(tx, `SELECT definition FROM ${this.config.versionsTable} WHERE id = $1 AND version = $2`, [id, version]);
    return row?.definition;
  }

  private async guardUnique<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      const pg = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
      const code = pg.driverError?.code ?? pg.code;
      if (code === '23505') {
        throw conflict(`${this.config.codeStem}_CONFLICT`, `another ${this.config.noun} holds a unique value of this one`, [
          { field: 'code', reason: 'is already used by another ' + this.config.noun },
        ]);
      }
      throw error;
    }
  }

  private headSelect(): string {
    return `SELECT h.id, h.kind, h.latest_version, h.enabled, h.updated_at, v.definition
      FROM ${this.config.table} h JOIN ${this.config.versionsTable} v ON v.id = h.id AND v.version = h.latest_version`;
  }

  private async view(tx: EntityManager, id: string): Promise<DefinitionView<T>> {
    const [row] = await queryRows<HeadRow>(tx, `${this.headSelect()} WHERE h.id = $1`, [id]);
    if (!row) throw notFound(`${this.config.codeStem}_NOT_FOUND`, `no ${this.config.noun} ${id}`);
    return this.toView(row);
  }

  private toView(row: HeadRow): DefinitionView<T> {
    return {
      id: row.id,
      kind: row.kind,
      version: row.latest_version,
      enabled: row.enabled,
      definition: row.definition as T,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
