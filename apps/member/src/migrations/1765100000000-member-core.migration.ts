import { heldBranchCheckDdl, heldBranchCheckDownDdl } from '@omni/tcc';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MEMBER_BRANCH_HOLDS } from '../branches/member-branch-holds.store';

/**
 * Members and everything they hold: identity (accounts by keyed hash, personal data in one table
 * of its own), the points ledger and its batches, the coupon wallet, gift cards, qualifying spend
 * for tiers, and the TCC branches that freeze coupons, points and gift-card amounts. The database
 * refuses a negative balance or a freeze past the balance, whatever the code does.
 */
export class MemberCore1765100000000 implements MigrationInterface {
  name = 'MemberCore1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE members (
        id text PRIMARY KEY,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
        merged_into text NULL REFERENCES members (id),
        tier text NOT NULL DEFAULT 'regular',
        tier_period_end timestamptz NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        points_balance integer NOT NULL DEFAULT 0,
        points_frozen integer NOT NULL DEFAULT 0,
        CONSTRAINT members_points_ck CHECK (points_balance >= 0 AND points_frozen >= 0 AND points_frozen <= points_balance)
      )`,
      // Phone and name live here only; every lookup goes through phone_hash (HMAC with the service's secret).
      `CREATE TABLE member_personal_data (
        member_id text PRIMARY KEY REFERENCES members (id),
        phone_hash text NULL UNIQUE,
        phone text NULL,
        name text NULL
      )`,
      `CREATE TABLE member_accounts (
        kind text NOT NULL,
        account_hash text NOT NULL,
        member_id text NOT NULL REFERENCES members (id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, account_hash)
      )`,
      `CREATE INDEX member_accounts_member_idx ON member_accounts (member_id)`,
      `CREATE TABLE points_batches (
        id text PRIMARY KEY,
        member_id text NOT NULL REFERENCES members (id),
        source_ref text NOT NULL,
        amount integer NOT NULL CHECK (amount > 0),
        remaining integer NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX points_batches_member_idx ON points_batches (member_id, expires_at) WHERE remaining > 0`,
      `CREATE TABLE points_ledger (
        seq bigserial PRIMARY KEY,
        member_id text NOT NULL REFERENCES members (id),
        kind text NOT NULL,
        delta integer NOT NULL CHECK (delta <> 0),
        ref text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX points_ledger_member_idx ON points_ledger (member_id, seq)`,
      // An earn is recorded once per member and order, whichever way it arrives.
      `CREATE UNIQUE INDEX points_ledger_earn_once ON points_ledger (ref) WHERE kind = 'earn'`,
      `CREATE TABLE coupons (
        id text PRIMARY KEY,
        member_id text NOT NULL REFERENCES members (id),
        template_id text NOT NULL,
        code text NOT NULL,
        channels text[] NOT NULL DEFAULT '{}',
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'frozen', 'redeemed')),
        held_by_gid text NULL,
        redeemed_order_id text NULL,
        occasion_key text NULL UNIQUE,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX coupons_member_idx ON coupons (member_id, status)`,
      `CREATE TABLE gift_cards (
        id text PRIMARY KEY,
        member_id text NULL REFERENCES members (id),
        code_hash text NOT NULL UNIQUE,
        pin_hash text NOT NULL,
        currency text NOT NULL,
        balance integer NOT NULL,
        frozen integer NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
        issued_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT gift_cards_balance_ck CHECK (balance >= 0 AND frozen >= 0 AND frozen <= balance)
      )`,
      `CREATE TABLE gift_card_ledger (
        seq bigserial PRIMARY KEY,
        gift_card_id text NOT NULL REFERENCES gift_cards (id),
        kind text NOT NULL,
        delta integer NOT NULL,
        ref text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX gift_card_ledger_card_idx ON gift_card_ledger (gift_card_id, seq)`,
      // Orders a member bought (references only; the order service owns orders), moved on a merge.
      `CREATE TABLE member_orders (
        order_id text PRIMARY KEY,
        member_id text NOT NULL REFERENCES members (id),
        channel text NOT NULL,
        amount integer NOT NULL DEFAULT 0,
        paid_at timestamptz NOT NULL
      )`,
      `CREATE INDEX member_orders_member_idx ON member_orders (member_id, paid_at)`,
      `CREATE TABLE member_branches (
        gid text NOT NULL,
        branch_id text NOT NULL,
        member_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL CHECK (status IN ('frozen', 'rejected', 'confirmed', 'cancelled')),
        coupon_ids text[] NOT NULL DEFAULT '{}',
        points integer NOT NULL DEFAULT 0,
        gift_card_id text NULL,
        gift_card_amount integer NOT NULL DEFAULT 0,
        deadline timestamptz NOT NULL,
        reasons jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (gid, branch_id)
      )`,
      ...heldBranchCheckDdl(MEMBER_BRANCH_HOLDS),
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of heldBranchCheckDownDdl(MEMBER_BRANCH_HOLDS)) await queryRunner.query(sql);
    for (const table of ['member_branches', 'member_orders', 'gift_card_ledger', 'gift_cards', 'coupons', 'points_ledger', 'points_batches', 'member_accounts', 'member_personal_data', 'members']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
