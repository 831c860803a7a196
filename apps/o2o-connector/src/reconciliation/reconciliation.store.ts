import { queryRows, type SqlExecutor } from '@omni/sql';
import type { ReconciliationLine, ReconciliationStatus } from '../domain/reconciliation';

/** A stored statement's summary. */
export interface StatementSummary {
  id: string;
  platform: string;
  businessDay: string;
  commissionBps: number;
  counts: Record<ReconciliationStatus, number>;
  trigger: 'schedule' | 'staff';
  createdAt: string;
}

/** A stored statement with its lines. */
export interface StatementView extends StatementSummary {
  lines: ReconciliationLine[];
}

type SummaryRow = {
  id: string;
  platform: string;
  business_day: string;
  commission_bps: number;
  matched: number;
  missing: number;
  extra: number;
  amount_mismatched: number;
  trigger: 'schedule' | 'staff';
  created_at: Date;
};

const SUMMARY = `id, platform, to_char(business_day, 'YYYY-MM-DD') AS business_day, commission_bps, matched, missing, extra, amount_mismatched, trigger, created_at`;

function summaryOf(row: SummaryRow): StatementSummary {
  return {
    id: row.id,
    platform: row.platform,
    businessDay: row.business_day,
    commissionBps: row.commission_bps,
    counts: { matched: row.matched, missing: row.missing, extra: row.extra, 'amount-mismatched': row.amount_mismatched },
    trigger: row.trigger,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Reconciliation statements and their lines (o2o_reconciliation_statements, o2o_reconciliation_lines). */
export class ReconciliationStore {
  /** Stores a statement and its lines. */
  async insert(tx: SqlExecutor, statement: Omit<StatementSummary, 'createdAt'>, lines: ReconciliationLine[]): Promise<void> {
    await tx.query(
      `INSERT INTO o2o_reconciliation_statements (id, platform, business_day, commission_bps, matched, missing, extra, amount_mismatched, trigger)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        statement.id,
        statement.platform,
        statement.businessDay,
        statement.commissionBps,
        statement.counts.matched,
        statement.counts.missing,
        statement.counts.extra,
        statement.counts['amount-mismatched'],
        statement.trigger,
      ],
    );
    if (lines.length === 0) return;
    await tx.query(
      `INSERT INTO o2o_reconciliation_lines (statement_id, line_no, platform_order_id, status, order_id, fields, expected, stated)
       SELECT $1, l.line_no, l.platform_order_id, l.status, l.order_id::uuid, l.fields, l.expected, l.stated
         FROM jsonb_to_recordset($2::jsonb) AS l(line_no int, platform_order_id text, status text, order_id text, fields text[], expected jsonb, stated jsonb)`,
      [
        statement.id,
        JSON.stringify(
          lines.map((line, i) => ({
            line_no: i,
            platform_order_id: line.platformOrderId,
            status: line.status,
            order_id: line.orderId ?? null,
            fields: line.fields,
            expected: line.expected ?? null,
            stated: line.stated ?? null,
          })),
        ),
      ],
    );
  }

  /** Whether the schedule already reconciled this day. */
  async scheduledExists(db: SqlExecutor, platform: string, day: string): Promise<boolean> {
    const rows = await queryRows(db, `SELECT 1 FROM o2o_reconciliation_statements WHERE platform = $1 AND business_day = $2 AND trigger = 'schedule' LIMIT 1`, [platform, day]);
    return rows.length > 0;
  }

  /** A platform's statements, newest day first. */
  async list(db: SqlExecutor, platform: string, limit: number): Promise<StatementSummary[]> {
    const rows = await queryRows<SummaryRow>(
      db,
      `SELECT ${SUMMARY} FROM o2o_reconciliation_statements WHERE platform = $1 ORDER BY business_day DESC, created_at DESC LIMIT $2`,
      [platform, limit],
    );
    return rows.map(summaryOf);
  }

  /** One statement with its lines. */
  async get(db: SqlExecutor, id: string): Promise<StatementView | undefined> {
    const [row] = await queryRows<SummaryRow>(db, `SELECT ${SUMMARY} FROM o2o_reconciliation_statements WHERE id = $1`, [id]);
    if (!row) return undefined;
    const lines = await queryRows<{ platform_order_id: string; status: ReconciliationStatus; order_id: string | null; fields: string[]; expected: ReconciliationLine['expected'] | null; stated: ReconciliationLine['stated'] | null }>(
      db,
      `SELECT platform_order_id, status, order_id, fields, expected, stated FROM o2o_reconciliation_lines WHERE statement_id = $1 ORDER BY line_no`,
      [id],
    );
    return {
      ...summaryOf(row),
      lines: lines.map((line) => ({
        platformOrderId: line.platform_order_id,
        status: line.status,
        ...(line.order_id ? { orderId: line.order_id } : {}),
        fields: line.fields as ReconciliationLine['fields'],
        ...(line.expected ? { expected: line.expected } : {}),
        ...(line.stated ? { stated: line.stated } : {}),
      })),
    };
  }
}
