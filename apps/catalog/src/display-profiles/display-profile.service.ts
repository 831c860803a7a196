import { Injectable } from '@nestjs/common';
import type { ChannelDisplay } from '@omni/contracts';
import { DataSource } from 'typeorm';
import { invalid, notFound } from '../common/catalog.errors';
import { queryRows, runTransaction } from '@omni/sql';
import { ProductChanges } from '../products/product-changes.service';
import type { DisplayProfileView } from './display-profile.dto';

/** Checks the parameters a stock hint kind needs and drops those it does not use. */
export function normaliseStockHint(rule: ChannelDisplay['stockHint']): ChannelDisplay['stockHint'] {
  switch (rule.kind) {
    case 'online':
      if (rule.lowStockThreshold === undefined) {
        throw invalid('VALIDATION_FAILED', 'An online stock hint needs lowStockThreshold', 'stockHint.lowStockThreshold', 'required when kind is online');
      }
      return { kind: 'online', lowStockThreshold: rule.lowStockThreshold };
    case 'remote':
      return rule.shipsInDays === undefined ? { kind: 'remote' } : { kind: 'remote', shipsInDays: rule.shipsInDays };
    case 'store':
      return { kind: 'store' };
  }
}

/** Display profiles; changing one republishes every product listed with it. */
@Injectable()
export class DisplayProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: ProductChanges,
  ) {}

  /** Creates or replaces a profile (idempotent by nature: the same body twice changes nothing the second time). */
  put(code: string, input: ChannelDisplay): Promise<DisplayProfileView> {
    const stockHint = normaliseStockHint(input.stockHint);
    const badges = [...new Set(input.badges)];
    return runTransaction(this.dataSource, async (tx) => {
      const users = `SELECT DISTINCT product_id FROM product_listings WHERE display_profile = $1`;
      // Products first, then the profile: the lock order of single-product writes.
      await this.changes.lockMany(tx, (await queryRows<{ product_id: string }>(tx, users, [code])).map((p) => p.product_id));
      const [before] = await queryRows<{ stock_hint: unknown; badges: string[] }>(
        tx,
        `SELECT stock_hint, badges FROM display_profiles WHERE code = $1 FOR NO KEY UPDATE`,
        [code],
      );
      if (before && JSON.stringify(before.stock_hint) === JSON.stringify(stockHint) && JSON.stringify(before.badges) === JSON.stringify(badges)) {
        return { code, stockHint, badges };
      }
      await tx.query(
        `INSERT INTO display_profiles (code, stock_hint, badges) VALUES ($1, $2::jsonb, $3::text[])
         ON CONFLICT (code) DO UPDATE SET stock_hint = EXCLUDED.stock_hint, badges = EXCLUDED.badges, updated_at = now()`,
        [code, JSON.stringify(stockHint), badges],
      );
      const products = await queryRows<{ product_id: string }>(tx, users, [code]);
      await this.changes.changed(tx, products.map((p) => p.product_id));
      return { code, stockHint, badges };
    });
  }

  /** One profile. */
  async get(code: string): Promise<DisplayProfileView> {
    const [row] = await this.rows(code);
    if (!row) throw notFound('DISPLAY_PROFILE_NOT_FOUND', 'Display profile', code, 'code');
    return row;
  }

  /** Every profile. */
  list(): Promise<DisplayProfileView[]> {
    return this.rows(null);
  }

  private rows(code: string | null): Promise<DisplayProfileView[]> {
    return queryRows<DisplayProfileView>(
      this.dataSource,
      `SELECT code, stock_hint AS "stockHint", badges FROM display_profiles WHERE ($1::text IS NULL OR code = $1) ORDER BY code`,
      [code],
    );
  }
}
