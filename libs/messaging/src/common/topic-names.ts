/** Maps logical topics (from the contracts) to physical Kafka topics under an environment prefix. */
export class TopicNames {
  constructor(readonly prefix: string = process.env.KAFKA_TOPIC_PREFIX ?? '') {}

  /** The physical topic for a logical topic. */
  physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  /** The dead-letter topic for a logical topic. */
  deadLetter(topic: string): string {
    return `${this.physical(topic)}${DLQ_SUFFIX}`;
  }
}

/** Suffix of every dead-letter topic. */
export const DLQ_SUFFIX = '.dlq';
