import { FaultInjector as PlatformFaultInjector } from '@omni/platform';

/** Points where a test can make the order process kill itself (ORDER_FAULT_AT=point[:n],…). */
export type FaultPoint =
  /** Right after the order, saga and Try commands committed, before the relay can send them. */
  | 'after-begin'
  /** While applying the n-th Try reply, before its transaction commits. */
  | 'try-reply'
  /** While applying the n-th batch of two or more replies, after its first reply, before the batch commits. */
  | 'reply-batch'
  /** Right after a payment committed (Confirm commands persisted, not yet sent). */
  | 'after-pay'
  /** While applying the n-th Confirm reply, before its transaction commits. */
  | 'confirm-reply';

/** The order service's crash switch (ORDER_FAULT_AT), at the points above. */
export class FaultInjector extends PlatformFaultInjector<FaultPoint> {}
