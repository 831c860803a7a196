import { Matches } from 'class-validator';
import { IsNonNegativeInt } from './validators';

/** An amount of money in integer minor units (fen, cents) with its ISO 4217 currency; never a float. */
export class Money {
  /** Minor units; prices, totals and payments are never negative (zero is a valid price). */
  @IsNonNegativeInt()
  amount: number;

  /** ISO 4217 code, three uppercase letters. */
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code of 3 uppercase letters' })
  currency: string;
}
