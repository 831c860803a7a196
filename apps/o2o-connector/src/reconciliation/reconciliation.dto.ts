import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** POST /internal/platforms/:platform/reconciliations. */
export class RunReconciliationDto {
  /** The platform's business day, YYYY-MM-DD (UTC). */
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '$property must be a day as YYYY-MM-DD' })
  day: string;
}

/** GET /internal/platforms/:platform/reconciliations. */
export class ListReconciliationsQueryDto {
  /** At most this many statements (1-100, default 30). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer between 1 and 100' })
  @Min(1, { message: '$property must be an integer between 1 and 100' })
  @Max(100, { message: '$property must be an integer between 1 and 100' })
  limit?: number;
}

/** Route param of a statement. */
export class StatementIdParamDto {
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: '$property must be a UUID' })
  id: string;
}
