/** CloudEvents (binary mode, Kafka binding) header names used on every event, plus our DLQ headers. */
export const CE = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  schemaversion: 'ce_schemaversion',
  contentType: 'content-type',
} as const;

/** Headers added to a dead-lettered message beside its original ones. */
export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  /** Set when the original did not fit: the dead letter holds only the head of its value, base64. */
  truncated: 'dlq-truncated',
  /** Size in bytes of the original value, when it was truncated. */
  originalSize: 'dlq-original-size',
} as const;

/** The `ce_source` of events published by one of our services. */
export function cloudEventSource(service: string): string {
  return `/omni-retail/${service}`;
}

/** Kafka headers as plain strings (kafkajs hands out Buffers, arrays or undefined). */
export function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
