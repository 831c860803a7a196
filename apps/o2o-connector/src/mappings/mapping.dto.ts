import { Matches } from 'class-validator';
import { MAPPED_ID as ID } from '@omni/contracts';

const ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -';

// The mapping bodies are shared with the gateway's staff routes (one definition, two edges).
export { PutSkuMappingsBody as PutSkuMappingsDto, PutStoreMappingsBody as PutStoreMappingsDto, SkuMappingBody as SkuMappingDto, StoreMappingBody as StoreMappingDto } from '@omni/contracts';

/** Route params of one mapping: the platform and our id (SKU code or location id). */
export class MappedIdParamDto {
  @Matches(/^[a-z0-9-]{1,32}$/, { message: '$property must be a channel code' })
  platform: string;

  @Matches(ID, { message: ID_MESSAGE })
  id: string;
}
