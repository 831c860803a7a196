import { Matches } from 'class-validator';

/** Route params naming a rule or coupon template by id. */
export class DefinitionIdParamsDto {
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: '$property must be a code (1-64 characters of A-Z a-z 0-9 . _ : -)' })
  id: string;
}
