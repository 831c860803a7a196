import { Injectable, Logger } from '@nestjs/common';
import { ORDER_RETURN_DISPOSED, type OrderReturnDisposedEvent } from '@omni/contracts';
import { EventHandler, PermanentEventError, type TransactionalEventContext } from '@omni/messaging';
import { DomainError, DomainErrorType } from '@omni/platform';
import { ReturnIntakeService } from './return-intake.service';

/**
 * Consumer group of the return intake: its own, so a return that is being retried never holds up
 * the saga's reservation commands consumed by the service's main group.
 */
export const RETURN_INTAKE_GROUP = 'inventory-returns';

/** Domain errors that are a condition of the moment (retry); every other one would fail the same way again. */
const TRANSIENT_ERROR_TYPES: ReadonlySet<DomainErrorType> = new Set([DomainErrorType.Unavailable, DomainErrorType.RateLimited, DomainErrorType.Unexpected]);

/**
 * How the Kafka edge reports a failure: a business refusal (unknown location, a return id reused
 * with other lines, no owner to credit) becomes a PermanentEventError, so the event goes to the
 * DLQ with the reason at once; anything else is retried by the consumer.
 */
export function asEventError(error: unknown): unknown {
  if (error instanceof DomainError && !TRANSIENT_ERROR_TYPES.has(error.type)) {
    const details = error.details?.length ? ` (${error.details.map((d) => `${d.field}: ${d.reason}`).join('; ')})` : '';
    return new PermanentEventError(`${error.code}: ${error.message}${details}`, error.code);
  }
  return error;
}

/** Kafka edge of the return intake: the payload is already validated by the consumer; one call. */
@Injectable()
export class ReturnDisposedHandler {
  private readonly logger = new Logger('ReturnIntake');

  constructor(private readonly intake: ReturnIntakeService) {}

  /** A return was disposed of: a restocked one goes back on hand at its location. */
  @EventHandler(ORDER_RETURN_DISPOSED, { group: RETURN_INTAKE_GROUP })
  async onReturnDisposed(payload: OrderReturnDisposedEvent, ctx: TransactionalEventContext): Promise<void> {
    try {
      const outcome = await this.intake.apply(ctx.manager, payload);
      this.logger.log({ msg: 'return disposition applied', orderId: payload.orderId, returnId: payload.returnId, ...outcome });
    } catch (error) {
      throw asEventError(error);
    }
  }
}
