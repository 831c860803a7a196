import { Injectable } from '@nestjs/common';
import { queryRows, type SqlExecutor, type SqlRow } from '@omni/sql';
import { DomainError, DomainErrorType } from '@omni/platform';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CreateOwnerDto, OwnerView, UpdateOwnerDto } from './owner.dto';

function toOwnerView(row: SqlRow): OwnerView {
  return { id: String(row.id), name: String(row.name), type: row.type as OwnerView['type'] };
}

/** The error every lookup of a missing owner raises. */
export function ownerNotFound(id: string, field = 'id'): DomainError {
  return new DomainError(DomainErrorType.NotFound, 'OWNER_NOT_FOUND', `Owner ${id} does not exist`, [
    { field, reason: 'unknown owner' },
  ]);
}

/** Stock owners: the retailer itself or a consignor whose stock stays theirs until it sells. */
@Injectable()
export class OwnerService {
  constructor(private readonly dataSource: DataSource) {}

  /** Registers an owner. */
  async create(input: CreateOwnerDto): Promise<OwnerView> {
    const [row] = await queryRows(
      this.dataSource,
      `INSERT INTO owners (id, name, type) VALUES ($1, $2, $3) RETURNING id, name, type`,
      [uuidv7(), input.name, input.type],
    );
    return toOwnerView(row);
  }

  /** Every owner, by name. */
  async list(): Promise<OwnerView[]> {
    return (await queryRows(this.dataSource, `SELECT id, name, type FROM owners ORDER BY name, id`)).map(toOwnerView);
  }

  /** Renames an owner; 404 when unknown. */
  async update(id: string, patch: UpdateOwnerDto): Promise<OwnerView> {
    const rows = await queryRows(this.dataSource, `UPDATE owners SET name = $2 WHERE id = $1 RETURNING id, name, type`, [id, patch.name]);
    if (rows.length === 0) throw ownerNotFound(id);
    return toOwnerView(rows[0]);
  }

  /** One owner; 404 when unknown. */
  async get(id: string, tx: SqlExecutor = this.dataSource): Promise<OwnerView> {
    const [row] = await queryRows(tx, `SELECT id, name, type FROM owners WHERE id = $1`, [id]);
    if (!row) throw ownerNotFound(id);
    return toOwnerView(row);
  }
}
