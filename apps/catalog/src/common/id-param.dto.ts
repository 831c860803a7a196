import { IsId } from '@omni/contracts';

/** Route params naming one resource by UUID. */
export class IdParamDto {
  @IsId()
  id: string;
}
