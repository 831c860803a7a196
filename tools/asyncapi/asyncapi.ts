import { ALL_TOPIC_CONTRACTS, EventContract, samplePayloadFor } from '@omni/contracts';
import { stringify } from 'yaml';
import { JsonSchema, payloadSchemas, SCHEMA_REF_PREFIX } from './json-schemas';

/** Version of the event catalogue document; bump when a topic is added or a schema version changes. */
export const CATALOGUE_VERSION = '1.0.0';

const KAFKA_BINDING_VERSION = '0.5.0';

/** PascalCase id for a topic, used for message and operation names ('stock-reserved' -> 'StockReserved'). */
function pascal(topic: string): string {
  return topic
    .split(/[-.]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The payload field the contract keys by, found by keying a sample payload (the key is a function). */
function keyField(contract: EventContract): string {
  const sample = samplePayloadFor(contract) as Record<string, unknown>;
  const key = contract.key(sample);
  const field = Object.keys(sample).find((name) => sample[name] === key);
  if (!field) throw new Error(`cannot tell which field ${contract.topic} is keyed by`);
  return field;
}

/** CloudEvents binary-mode Kafka headers (ce_* attributes) plus trace context, for one contract's messages. */
function cloudEventHeaders(contract: EventContract, subjectField: string): JsonSchema {
  return {
    type: 'object',
    required: ['ce_id', 'ce_source', 'ce_specversion', 'ce_type', 'ce_time', 'content-type'],
    properties: {
      ce_id: { type: 'string', format: 'uuid', description: 'Event id (UUIDv7); consumers de-duplicate on it through their inbox.' },
      ce_source: { type: 'string', description: `Producing service.`, examples: [contract.source] },
      ce_specversion: { type: 'string', const: '1.0', description: 'CloudEvents spec version.' },
      ce_type: { type: 'string', const: contract.type, description: 'CloudEvents type; ends in the schema version.' },
      ce_time: { type: 'string', format: 'date-time', description: 'When the event was recorded, UTC ISO-8601.' },
      ce_subject: { type: 'string', description: `The ${subjectField} of the payload (same as the message key).` },
      'content-type': { type: 'string', const: 'application/json', description: 'Body encoding.' },
      traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'W3C trace context of the producing request, so traces span services.',
      },
    },
  };
}

/** Builds the AsyncAPI 3.0.0 document of every event contract and channel feed: channels, their DLQs, send operations, messages, schemas. */
export function buildAsyncApiDocument(): object {
  const contracts = ALL_TOPIC_CONTRACTS;
  const schemas = payloadSchemas(contracts);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const contract of contracts) {
    const name = pascal(contract.topic);
    const dlqTopic = `${contract.topic}.dlq`;
    const field = keyField(contract);
    const payloadSchema = schemas[contract.payload.name];
    const keySchema = (payloadSchema.properties as Record<string, JsonSchema>)[field];

    messages[name] = {
      name,
      title: `${contract.topic} v${contract.version}`,
      summary: contract.summary,
      description:
        `CloudEvents type \`${contract.type}\`, schema version ${contract.version} (payload.schemaVersion). ` +
        `Key: ${field}, so all events of one ${field} stay in order on one partition.`,
      contentType: 'application/json',
      headers: cloudEventHeaders(contract, field),
      payload: { $ref: `${SCHEMA_REF_PREFIX}${contract.payload.name}` },
      bindings: {
        kafka: {
          key: { ...keySchema, description: `Message key: the payload's ${field}.` },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      'x-schema-version': contract.version,
      'x-cloudevents-type': contract.type,
    };
    messages[`${name}DeadLetter`] = {
      name: `${name}DeadLetter`,
      title: `${dlqTopic}`,
      summary: `A ${contract.topic} message a consumer could not process, parked with the reason.`,
      description:
        `The original key, headers and body unchanged (the body may be invalid, which is why it is here), ` +
        `plus headers added by the messaging library naming the failing consumer group and the reason.`,
      contentType: 'application/json',
      headers: { ...cloudEventHeaders(contract, field), required: [], additionalProperties: { type: 'string' } },
      payload: {},
      bindings: { kafka: { key: { type: 'string', description: `Original message key (${field}).` }, bindingVersion: KAFKA_BINDING_VERSION } },
    };

    channels[contract.topic] = {
      address: contract.topic,
      title: contract.topic,
      description: contract.summary,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
      bindings: { kafka: { topic: contract.topic, partitions: contract.partitions, bindingVersion: KAFKA_BINDING_VERSION } },
    };
    channels[dlqTopic] = {
      address: dlqTopic,
      title: dlqTopic,
      description: `Dead letters of ${contract.topic}: messages a consumer could not validate or process.`,
      messages: { [`${name}DeadLetter`]: { $ref: `#/components/messages/${name}DeadLetter` } },
      bindings: { kafka: { topic: dlqTopic, bindingVersion: KAFKA_BINDING_VERSION } },
    };

    operations[`send${name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${escapePointer(contract.topic)}` },
      title: `${contract.source} publishes ${contract.topic}`,
      summary: contract.summary,
      description: `Published by the ${contract.source} service through its transactional outbox (idempotent producer, acks=all).`,
      messages: [{ $ref: `#/channels/${escapePointer(contract.topic)}/messages/${name}` }],
      'x-producer': contract.source,
    };
    operations[`send${name}DeadLetter`] = {
      action: 'send',
      channel: { $ref: `#/channels/${escapePointer(dlqTopic)}` },
      title: `consumers park failed ${contract.topic} messages`,
      summary: `Any consumer of ${contract.topic} that cannot process a message sends it here and keeps consuming.`,
      messages: [{ $ref: `#/channels/${escapePointer(dlqTopic)}/messages/${name}DeadLetter` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'omni-retail events',
      version: CATALOGUE_VERSION,
      description:
        'Event catalogue of the omni-retail backbone, generated from @omni/contracts by `npm run asyncapi:generate` ' +
        '(do not edit by hand). Envelope: CloudEvents 1.0 in Kafka binary mode (attributes in ce_* headers, JSON body). ' +
        'Every payload carries schemaVersion and occurredAt and is validated on both ends (unknown fields are rejected); ' +
        'a consumer that cannot validate or process a message sends it to `<topic>.dlq`. ' +
        'All topics have 6 partitions: enough parallelism per consumer group for our services, and keyed ordering per aggregate.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'Local development broker (tools/infra).' },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

/** JSON Pointer escaping for a channel id used in a $ref. */
function escapePointer(id: string): string {
  return id.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Renders the document as YAML, deterministically (no anchors, no line folding). */
export function renderAsyncApiYaml(): string {
  const header = '# Generated from @omni/contracts by `npm run asyncapi:generate`. Do not edit by hand.\n';
  return header + stringify(buildAsyncApiDocument(), { aliasDuplicateObjects: false, lineWidth: 0 });
}
