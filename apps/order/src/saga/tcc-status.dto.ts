import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

/** Most transactions one status query may name (a participant's pass asks for at most this many). */
export const MAX_STATUS_QUERY_GIDS = 200;

/** A participant's question about the transactions of branches it holds past their deadline. */
export class ResolveTransactionsDto {
  /** Global transaction ids (order ids). */
  @IsArray({ message: '$property must be an array of transaction ids' })
  @ArrayMinSize(1, { message: '$property must name at least one transaction' })
  @ArrayMaxSize(MAX_STATUS_QUERY_GIDS, { message: `$property may name at most ${MAX_STATUS_QUERY_GIDS} transactions` })
  @IsString({ each: true, message: 'each of $property must be a string' })
  @MaxLength(64, { each: true, message: 'each of $property must be at most 64 characters' })
  @Matches(/^[A-Za-z0-9._:-]+$/, { each: true, message: 'each of $property must be letters, digits and . _ : -' })
  gids: string[];
}
