import { ServiceEnv } from '@omni/platform';

/** Environment of the inventory service; add its own variables here (validated at start-up). */
export class InventoryEnv extends ServiceEnv {
  /**
   * Saga commands (inventory-branch-requested, 6 partitions keyed by order) are handled a
   * partition per lane, so one saga's slow Try does not hold up the others; one saga's phases
   * stay in order on their partition, and a hot SKU's Tries still serialise on its row lock.
   */
  override KAFKA_CONSUMER_CONCURRENCY = 6;
}
