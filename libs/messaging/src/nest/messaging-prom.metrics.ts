import { Counter, Gauge, Registry, register as defaultRegistry } from 'prom-client';
import { MessagingMetrics } from '../common/observability';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** MessagingMetrics backed by prom-client; safe to call twice on one registry (metrics are reused). */
export function promMessagingMetrics(registry: Registry = defaultRegistry): MessagingMetrics {
  const published = counter(registry, 'messaging_published_total', 'Events published by the outbox relay', ['topic']);
  const publishFailures = counter(registry, 'messaging_publish_failures_total', 'Events whose publish attempt failed (kept in the outbox)', ['topic']);
  const consumed = counter(registry, 'messaging_consumed_total', 'Events handled by a consumer group', ['topic', 'group', 'outcome']);
  const deadLettered = counter(registry, 'messaging_dead_lettered_total', 'Events sent to a dead-letter topic', ['topic', 'group']);
  const retries = counter(registry, 'messaging_retries_total', 'Handler retries after a transient error', ['topic', 'group']);
  const lag =
    (registry.getSingleMetric('messaging_outbox_lag_seconds') as Gauge<string> | undefined) ??
    new Gauge({ name: 'messaging_outbox_lag_seconds', help: 'Age of the oldest unsent outbox row', registers: [registry] });
  return {
    published: (topic, count) => published.inc({ topic }, count),
    publishFailed: (topic, count) => publishFailures.inc({ topic }, count),
    consumed: (topic, group, outcome) => consumed.inc({ topic, group, outcome }),
    deadLettered: (topic, group) => deadLettered.inc({ topic, group }),
    retried: (topic, group) => retries.inc({ topic, group }),
    outboxLag: (seconds) => lag.set(seconds),
  };
}
