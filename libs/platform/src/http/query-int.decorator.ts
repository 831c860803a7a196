import { Transform } from 'class-transformer';

/** A plain decimal integer as it may appear in a query string or path: digits, an optional minus. */
const DECIMAL_INTEGER = /^-?[0-9]{1,15}$/;

/**
 * Converts a query-string or path value to a number only when it is a plain decimal integer.
 * `Number()` (what `@Type(() => Number)` does) also reads "0x10" as 16, "1e3" as 1000 and " 7 " as
 * 7; those stay strings here, so the property's `@IsInt` refuses them with its own message.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value));
}
