import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';

/** An id on either side of a mapping: our SKU code or location id, or the platform's own id. */
export const MAPPED_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAPPED_ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -';

/** One SKU mapping: ours → the platform's. */
export class SkuMappingBody {
  /** Our SKU code. */
  @Matches(MAPPED_ID, { message: MAPPED_ID_MESSAGE })
  sku: string;

  /** The platform's SKU id. */
  @Matches(MAPPED_ID, { message: MAPPED_ID_MESSAGE })
  platformSku: string;
}

/** SKU mappings to set, 1-1,000 (an existing mapping of the same SKU is replaced): the connector's internal route and the gateway's staff route. */
export class PutSkuMappingsBody {
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => SkuMappingBody)
  mappings: SkuMappingBody[];
}

/** One store mapping: our location → the platform's store or warehouse. */
export class StoreMappingBody {
  /** Our location id. */
  @Matches(MAPPED_ID, { message: MAPPED_ID_MESSAGE })
  locationId: string;

  /** The platform's store or warehouse id. */
  @Matches(MAPPED_ID, { message: MAPPED_ID_MESSAGE })
  platformStore: string;
}

/** Store mappings to set, 1-1,000: the connector's internal route and the gateway's staff route. */
export class PutStoreMappingsBody {
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => StoreMappingBody)
  mappings: StoreMappingBody[];
}
