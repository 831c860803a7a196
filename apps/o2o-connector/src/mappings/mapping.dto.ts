import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -';

/** One SKU mapping. */
export class SkuMappingDto {
  /** Our SKU code. */
  @Matches(ID, { message: ID_MESSAGE })
  sku: string;

  /** The platform's SKU id. */
  @Matches(ID, { message: ID_MESSAGE })
  platformSku: string;
}

/** A batch of SKU mappings. */
export class PutSkuMappingsDto {
  /** 1–1,000 mappings. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => SkuMappingDto)
  mappings: SkuMappingDto[];
}

/** One store (or warehouse) mapping. */
export class StoreMappingDto {
  /** Our location id. */
  @Matches(ID, { message: ID_MESSAGE })
  locationId: string;

  /** The platform's store or warehouse id. */
  @Matches(ID, { message: ID_MESSAGE })
  platformStore: string;
}

/** A batch of store mappings. */
export class PutStoreMappingsDto {
  /** 1–1,000 mappings. */
  @IsArray({ message: '$property must be an array' })
  @ArrayMinSize(1, { message: '$property must hold at least 1 mapping' })
  @ArrayMaxSize(1_000, { message: '$property must hold at most 1000 mappings' })
  @ValidateNested({ each: true })
  @Type(() => StoreMappingDto)
  mappings: StoreMappingDto[];
}

/** Route params of one mapping: the platform and our id (SKU code or location id). */
export class MappedIdParamDto {
  @Matches(/^[a-z0-9-]{1,32}$/, { message: '$property must be a channel code' })
  platform: string;

  @Matches(ID, { message: ID_MESSAGE })
  id: string;
}
