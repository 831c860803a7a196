import { Injectable } from '@nestjs/common';
import { withTimeout } from '../common/backoff';
import { errorMessage } from '../common/errors';
import { MessagingRuntime } from './messaging.runtime';

/** Kafka reachability for the platform's readiness indicator. */
@Injectable()
export class MessagingHealth {
  constructor(private readonly runtime: MessagingRuntime) {}

  /** Up when the cluster answers describeCluster within `timeoutMs`. */
  async check(timeoutMs = 2000): Promise<{ up: boolean; details: Record<string, unknown> }> {
    try {
      const cluster = await withTimeout(this.runtime.admin.describeCluster(), timeoutMs, 'kafka describeCluster');
      return { up: cluster.brokers > 0, details: { ...cluster, consumers: this.runtime.activeConsumers.map((c) => c.groupId) } };
    } catch (error) {
      return { up: false, details: { error: errorMessage(error) } };
    }
  }
}
