import { QueryInt } from '@omni/platform';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsId, IsSkuCode } from '@omni/contracts';

/** Route params naming one store by its inventory location id. */
export class StoreParamDto {
  @IsId()
  locationId: string;
}

/** Bodies of PUT /internal/stores/:locationId, PUT …/assortment and POST …/assortment/changes (shared with the gateway). */
export { AssortmentChangesBody as AssortmentChangesDto, PutAssortmentBody as PutAssortmentDto, PutStoreBody as PutStoreDto } from '@omni/contracts';

const PAGE = '$property must be an integer between 1 and 5000';

/** Query of GET /internal/stores/:locationId/labels. */
export class LabelExportQueryDto {
  /** Labels with SKUs after this one (the previous page's nextAfter). */
  @IsOptional()
  @IsSkuCode()
  after?: string;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}

/** Query of GET /internal/stores/:locationId/labels/changes. */
export class LabelChangesQueryDto {
  /** Label version the caller already has (0 for everything). */
  @QueryInt()
  @IsInt({ message: '$property must be an integer between 0 and 9007199254740991' })
  @Min(0, { message: '$property must be an integer between 0 and 9007199254740991' })
  @Max(Number.MAX_SAFE_INTEGER, { message: '$property must be an integer between 0 and 9007199254740991' })
  since: number;

  @IsOptional()
  @QueryInt()
  @IsInt({ message: PAGE })
  @Min(1, { message: PAGE })
  @Max(5000, { message: PAGE })
  limit?: number;
}

/** A store as the API returns it. */
export interface StoreView {
  locationId: string;
  channel: string;
  name: string;
  lowStockThreshold: number;
  labelVersion: number;
}
