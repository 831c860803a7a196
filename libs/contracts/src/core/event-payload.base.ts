import { IsInt, Min } from 'class-validator';
import { IsUtcTimestamp } from './validators';

/** Fields every event payload carries: the schema version it was written against and when the fact happened. */
export abstract class EventPayloadBase {
  /** Must equal the contract's version; checked by validatePayload. */
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be an integer >= 1' })
  schemaVersion: number;

  /** When the fact happened, UTC ISO-8601. */
  @IsUtcTimestamp()
  occurredAt: string;
}
