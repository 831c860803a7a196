import { PricingDomainError } from '../pricing.error';

/** Basis points in one whole: 10000 bps = 100 %. */
export const BPS_PER_WHOLE = 10_000;

const DEFAULT_EXPONENT = 2;
/** Minor-unit exponents that differ from the usual two decimals. */
const EXPONENTS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, VND: 0, BHD: 3, KWD: 3 };

/** Decimal places of a currency's minor unit (fen, cents: 2). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? DEFAULT_EXPONENT;
}

/** Throws unless `value` is a safe integer; every amount in this domain is whole minor units. */
export function assertMinorUnits(value: number, what = 'amount'): void {
  if (!Number.isSafeInteger(value)) {
    throw new PricingDomainError('INVALID_AMOUNT', `${what} must be a safe integer of minor units, got ${value}`);
  }
}

/**
 * Integer division of numerator / denominator rounded half up (ties away from zero for
 * non-negative inputs). BigInt keeps products above 2^53 exact.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Integer division rounded half down: an exact half goes to the smaller value. */
export function divideRoundHalfDown(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator - 1n) / (2n * denominator);
}

/**
 * `a × b / d` for non-negative safe integers, rounded to the nearest integer with ties up or down.
 * Plain numbers while every intermediate stays below 2^53 (integer % and exact division), BigInt
 * beyond: the result is exact either way.
 */
export function mulDivRound(a: number, b: number, d: number, ties: 'up' | 'down'): number {
  const doubled = 2 * a * b;
  const numerator = ties === 'up' ? doubled + d : doubled + d - 1;
  if (numerator <= Number.MAX_SAFE_INTEGER) {
    const divisor = 2 * d;
    return (numerator - (numerator % divisor)) / divisor;
  }
  const big = ties === 'up' ? divideRoundHalfUp : divideRoundHalfDown;
  return Number(big(BigInt(a) * BigInt(b), BigInt(d)));
}

/**
 * The discount for `bps` basis points of a non-negative amount, rounded half up in minor units,
 * so an exact half fen goes to the buyer.
 */
export function percentOfRoundHalfUp(amount: number, bps: number): number {
  return mulDivRound(amount, bps, BPS_PER_WHOLE, 'up');
}

/**
 * A price scaled to `ratioBps` of a non-negative amount, rounded half down, so that
 * amount − price equals the half-up-rounded discount (the buyer keeps the half fen).
 */
export function scaleRoundHalfDown(amount: number, ratioBps: number): number {
  return mulDivRound(amount, ratioBps, BPS_PER_WHOLE, 'down');
}

/** `amount × numerator / denominator` rounded half up, exact for any safe integers. */
export function mulDivRoundHalfUp(amount: number, numerator: number, denominator: number): number {
  return mulDivRound(amount, numerator, denominator, 'up');
}

/** Formats minor units as a plain decimal string: 64200 CNY → "642.00". */
export function formatMinor(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const digits = Math.abs(amount).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Like formatMinor but drops a zero fraction, for rule parameters: 60000 → "600", 1550 → "15.50". */
export function formatCompact(amount: number, currency: string): string {
  const full = formatMinor(amount, currency);
  return /\.0+$/.test(full) ? full.replace(/\.0+$/, '') : full;
}

/** Formats basis points as a percentage: 1250 → "12.5%". */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = (bps % 100).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}%` : `${whole}%`;
}

/** An immutable amount of money in integer minor units of one currency. */
export class Money {
  private constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}

  /** Money of `amount` minor units; rejects fractions, unsafe integers and malformed currencies. */
  static of(amount: number, currency: string): Money {
    assertMinorUnits(amount);
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new PricingDomainError('INVALID_AMOUNT', `currency must be an ISO 4217 code, got "${currency}"`);
    }
    return new Money(amount, currency);
  }

  /** Zero in `currency`. */
  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  /** The sum; both must share a currency. */
  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  /** The difference; both must share a currency. */
  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount - other.amount, this.currency);
  }

  /** This amount times an integer quantity. */
  times(quantity: number): Money {
    assertMinorUnits(quantity, 'quantity');
    return Money.of(this.amount * quantity, this.currency);
  }

  /** The half-up-rounded `bps` share of this (non-negative) amount. */
  percent(bps: number): Money {
    return Money.of(percentOfRoundHalfUp(this.amount, bps), this.currency);
  }

  /** Whether both amounts and currencies are equal. */
  equals(other: Money): boolean {
    return this.amount === other.amount && this.currency === other.currency;
  }

  /** "642.00 CNY". */
  toString(): string {
    return `${formatMinor(this.amount, this.currency)} ${this.currency}`;
  }

  /** Plain JSON form: integer minor units and currency. */
  toJSON(): { amount: number; currency: string } {
    return { amount: this.amount, currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new PricingDomainError('CURRENCY_MISMATCH', `${this.currency} vs ${other.currency}`);
    }
  }
}
