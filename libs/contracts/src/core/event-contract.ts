/** What every topic's contract declares: names, version, payload class, key and partitioning. */
export interface EventContract<T extends object = object> {
  /** Logical topic name, e.g. 'stock-reserved' (messaging may add a prefix in tests). */
  readonly topic: string;
  /** CloudEvents type, e.g. 'com.omniretail.inventory.stock-reserved.v1'. */
  readonly type: string;
  /** Schema version; payload.schemaVersion must equal it. */
  readonly version: number;
  /** Producing service, e.g. 'inventory'; also the CloudEvents source. */
  readonly source: string;
  /** The payload class, decorated with class-validator rules. */
  readonly payload: new () => T;
  /** Kafka message key: the aggregate id whose events must stay in order. */
  readonly key: (payload: T) => string;
  /** Partitions to create for the topic. */
  readonly partitions: number;
  /** One line describing the fact, used in the AsyncAPI document. */
  readonly summary: string;
}

const TOPIC_PATTERN = /^[a-z][a-z0-9-]*$/;

/** Declares a contract, failing fast at import time on a malformed declaration. */
export function defineEvent<T extends object>(contract: EventContract<T>): EventContract<T> {
  if (!TOPIC_PATTERN.test(contract.topic)) throw new Error(`contract topic '${contract.topic}' must be kebab-case`);
  if (!Number.isInteger(contract.version) || contract.version < 1) {
    throw new Error(`contract ${contract.topic}: version must be an integer >= 1`);
  }
  if (!Number.isInteger(contract.partitions) || contract.partitions < 1) {
    throw new Error(`contract ${contract.topic}: partitions must be an integer >= 1`);
  }
  const expectedType = `com.omniretail.${contract.source}.${contract.topic}.v${contract.version}`;
  if (contract.type !== expectedType) {
    throw new Error(`contract ${contract.topic}: type must be '${expectedType}'`);
  }
  return Object.freeze({ ...contract });
}
