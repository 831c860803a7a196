import { Matches } from 'class-validator';
import type { StockHintRule } from '@omni/contracts';

/** Route params naming one display profile. */
export class ProfileCodeParamDto {
  @Matches(/^[a-z0-9-]{1,64}$/, { message: '$property must be a display profile code (1-64 characters of a-z 0-9 -)' })
  code: string;
}

/** A display profile as the API returns it. */
export interface DisplayProfileView {
  code: string;
  stockHint: StockHintRule;
  badges: string[];
}
