import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * inventory_load_skus(skus, lock): one round trip that (optionally) locks the SKUs' sku_stock rows
 * FOR UPDATE in sorted order and then reads their version, levels and allocation rules. Inside a
 * volatile PL/pgSQL function each statement takes a fresh snapshot, so what it reads after the
 * lock includes every change committed before the lock was granted; without `lock` all three come
 * from one consistent snapshot (used for rebuilding caches and for refusing early).
 */
export class ReservationHotPath1763800000100 implements MigrationInterface {
  name = 'ReservationHotPath1763800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION inventory_load_skus(p_skus text[], p_lock boolean) RETURNS jsonb
      LANGUAGE plpgsql VOLATILE AS $fn$
      BEGIN
        IF p_lock THEN
          PERFORM 1 FROM sku_stock WHERE sku = ANY (p_skus) ORDER BY sku FOR UPDATE;
        END IF;
        RETURN jsonb_build_object(
          'skus', coalesce((SELECT jsonb_agg(jsonb_build_array(s.sku, s.version)) FROM sku_stock s WHERE s.sku = ANY (p_skus)), '[]'::jsonb),
          'levels', coalesce((
            SELECT jsonb_agg(jsonb_build_array(l.sku, l.location_id, l.owner_id, o.type, loc.status = 'open', l.on_hand, l.reserved)
                             ORDER BY l.sku, l.location_id, l.owner_id)
              FROM stock_levels l JOIN locations loc ON loc.id = l.location_id JOIN owners o ON o.id = l.owner_id
             WHERE l.sku = ANY (p_skus)), '[]'::jsonb),
          'rules', coalesce((
            SELECT jsonb_agg(jsonb_build_array(a.sku, a.channel, a.mode, a.safety_stock, a.quota_remaining) ORDER BY a.sku, a.channel)
              FROM channel_allocations a WHERE a.sku = ANY (p_skus)), '[]'::jsonb));
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS inventory_load_skus(text[], boolean)`);
  }
}
