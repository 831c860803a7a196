// Who publishes and consumes which topic, read from the apps' own modules (PlatformModule.forRoot
// and @EventHandler methods), and the Strimzi KafkaTopic / KafkaUser objects that follow from it.
import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { ALL_TOPIC_CONTRACTS, CHANNEL_FEED_CONTRACTS, channelFeedTopic, type EventContract, type FEED_CHANNELS } from '@omni/contracts';
import { EVENT_HANDLER_METADATA, type EventHandlerMetadata } from '@omni/messaging';
import { SERVICE_DEFINITION, type ServiceDefinition } from '@omni/platform';
import { AppModule as CatalogModule } from '../../apps/catalog/src/app.module';
import { AppModule as GatewayModule } from '../../apps/gateway/src/app.module';
import { AppModule as InventoryModule } from '../../apps/inventory/src/app.module';
import { AppModule as MemberModule } from '../../apps/member/src/app.module';
import { AppModule as O2oConnectorModule } from '../../apps/o2o-connector/src/app.module';
import { AppModule as OrderModule } from '../../apps/order/src/app.module';
import { AppModule as PricingModule } from '../../apps/pricing/src/app.module';
import { SOLD_OUT_GROUP_PREFIX } from '../../apps/gateway/src/sold-out/sold-out.feed';

/** The Strimzi Kafka cluster (its `strimzi.io/cluster` label) the topics and users belong to. */
export const KAFKA_CLUSTER = 'omni-kafka';
/** Dead-letter topic suffix (as libs/messaging's DLQ_SUFFIX). */
export const DLQ_SUFFIX = '.dlq';
/** Replicas of every topic, and how many must acknowledge a write (producers use acks=all). */
export const TOPIC_REPLICAS = 3;
export const MIN_INSYNC_REPLICAS = 2;
/**
 * Retention of an event topic: 7 days, shorter than DEDUP_RETENTION_MS (14 days, the ConfigMap),
 * so a replay from the oldest offset still meets its inbox rows. Dead letters are kept 14 days,
 * time for a person to read and replay them.
 */
export const EVENT_RETENTION_MS = 7 * 86_400_000;
export const DLQ_RETENTION_MS = 14 * 86_400_000;

/**
 * Channel integrations (the marketplace and delivery adapters, the stores' systems and shelf-label
 * feeds) publish nothing; each gets its own user and group prefix, and reads its own channel's
 * feeds (`feed.<channel>.price-changed`, `.stock-changed`, `.product-changed`: only that channel's
 * prices, ATP and listing; `feed.<channel>.order-*`: only that channel's orders), never the
 * internal topics that carry every channel's figures and orders.
 */
export const CHANNEL_INTEGRATIONS: readonly { name: string; channel: (typeof FEED_CHANNELS)[number]; consumes: readonly string[] }[] = (
  [
    ['marketplace', 'tmall'],
    ['delivery', 'eleme'],
    ['store', 'pos'],
  ] as const
).map(([name, channel]) => ({
  name: `channel-${name}`,
  channel,
  consumes: [
    ...CHANNEL_FEED_CONTRACTS.filter((contract) => contract.topic.startsWith(channelFeedTopic(channel, ''))).map((contract) => contract.topic),
  ],
}));

/** The app modules the suite deploys, by service name. */
export const APP_MODULES: Readonly<Record<string, Type<unknown>>> = {
  catalog: CatalogModule,
  gateway: GatewayModule,
  inventory: InventoryModule,
  member: MemberModule,
  'o2o-connector': O2oConnectorModule,
  order: OrderModule,
  pricing: PricingModule,
};

/** One consumer group reading one topic; `prefix` when the group name is per replica. */
export interface Consumption {
  topic: string;
  group: string;
  prefix: boolean;
}

/** What one service does on Kafka. */
export interface KafkaAccess {
  service: string;
  publishes: string[];
  consumes: Consumption[];
}

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule> | { forwardRef: () => Type<unknown> };

/** Every module class or dynamic module reachable from `root` through its imports. */
function walkModules(root: ModuleRef, seen = new Set<unknown>()): Array<Type<unknown> | DynamicModule> {
  if (!root || root instanceof Promise || seen.has(root)) return [];
  if ('forwardRef' in root) return walkModules(root.forwardRef(), seen);
  seen.add(root);
  const own = typeof root === 'function' ? ((Reflect.getMetadata('imports', root) ?? []) as ModuleRef[]) : [];
  const dynamic = typeof root === 'function' ? [] : [root.module as ModuleRef, ...((root.imports ?? []) as ModuleRef[])];
  return [root, ...[...own, ...dynamic].flatMap((child) => walkModules(child, seen))];
}

function providersOf(module: Type<unknown> | DynamicModule): unknown[] {
  if (typeof module === 'function') return [...((Reflect.getMetadata('providers', module) ?? []) as unknown[]), ...((Reflect.getMetadata('controllers', module) ?? []) as unknown[])];
  return [...(module.providers ?? []), ...(module.controllers ?? [])];
}

/** The group the catalog cache reads product-changed with: one per replica, `<service>.catalog-cache.<instance>`. */
export function catalogCacheGroupPrefix(service: string): string {
  return `${service}.catalog-cache.`;
}

/**
 * Topics a service reads with per-replica consumers of its own instead of @EventHandler methods
 * (declared in its `consumes`), and the prefix of their groups: `<prefix><instance>`, one per replica.
 */
export const PER_REPLICA_READERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  gateway: {
    'product-changed': catalogCacheGroupPrefix('gateway'),
    // The sold-out projection (apps/gateway/src/sold-out/sold-out.feed.ts).
    'stock-changed': SOLD_OUT_GROUP_PREFIX,
  },
};

/** What `service` publishes and consumes, from its app module. */
export function kafkaAccessOf(service: string, appModule: Type<unknown>): KafkaAccess {
  const modules = walkModules(appModule);
  const providers = modules.flatMap(providersOf);
  const definition = providers.find((p): p is { provide: unknown; useValue: ServiceDefinition } => (p as { provide?: unknown })?.provide === SERVICE_DEFINITION);
  if (!definition) throw new Error(`${service}: no PlatformModule.forRoot in its app module`);
  const def = definition.useValue;
  if (def.name !== service) throw new Error(`${service}: its app module names itself ${def.name}`);
  const consumes: Consumption[] = [];
  for (const provider of providers) {
    if (typeof provider !== 'function') continue;
    const prototype = (provider as { prototype: Record<string, unknown> }).prototype;
    for (const method of Object.getOwnPropertyNames(prototype)) {
      const target = Object.getOwnPropertyDescriptor(prototype, method)?.value as unknown;
      if (typeof target !== 'function') continue;
      const meta = Reflect.getMetadata(EVENT_HANDLER_METADATA, target) as EventHandlerMetadata | undefined;
      // The default group is the service name (messaging.runtime; KAFKA_TOPIC_PREFIX is empty in production).
      if (meta) consumes.push({ topic: meta.contract.topic, group: meta.options.group ?? def.name, prefix: false });
    }
  }
  // A declared consumption without a handler is a per-replica reader's (gateway: the catalog cache, the sold-out projection).
  for (const contract of def.consumes ?? []) {
    if (consumes.some((c) => c.topic === contract.topic)) continue;
    const group = PER_REPLICA_READERS[def.name]?.[contract.topic];
    if (!group) throw new Error(`${service}: consumes ${contract.topic} with no @EventHandler and no per-replica reader in PER_REPLICA_READERS`);
    consumes.push({ topic: contract.topic, group, prefix: true });
  }
  const unique = new Map(consumes.map((c) => [`${c.topic} ${c.group}`, c]));
  return {
    service,
    publishes: [...new Set((def.publishes ?? []).map((c: EventContract) => c.topic))].sort(),
    consumes: [...unique.values()].sort((a, b) => `${a.topic} ${a.group}`.localeCompare(`${b.topic} ${b.group}`)),
  };
}

/** Every service's Kafka access, read from the code. */
export function serviceKafkaAccess(): KafkaAccess[] {
  return Object.entries(APP_MODULES).map(([service, module]) => kafkaAccessOf(service, module));
}

/** The channel integrations' access: each reads with groups under `<name>.`. */
export function channelKafkaAccess(): KafkaAccess[] {
  return CHANNEL_INTEGRATIONS.map(({ name, consumes }) => ({
    service: name,
    publishes: [],
    consumes: consumes.map((topic) => ({ topic, group: `${name}.`, prefix: true })),
  }));
}

/** One Strimzi simple-authorization ACL rule. */
export interface AclRule {
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operations: string[];
}

/**
 * The ACLs that follow from an access: Write on what it publishes, Read on what it consumes with
 * Read on the group, Write on the dead-letter topic of what it consumes (a consumer dead-letters
 * what it cannot handle), and Describe on every topic the service makes sure exists at start-up
 * (each published and consumed topic and its dead-letter topic). Write and Read imply Describe.
 */
export function aclsOf(access: KafkaAccess, ensuresTopics = true): AclRule[] {
  const topicOps = new Map<string, Set<string>>();
  const add = (topic: string, op: string) => topicOps.set(topic, (topicOps.get(topic) ?? new Set()).add(op));
  for (const topic of access.publishes) {
    add(topic, 'Write');
    if (ensuresTopics) add(`${topic}${DLQ_SUFFIX}`, 'Describe');
  }
  for (const { topic } of access.consumes) {
    add(topic, 'Read');
    if (ensuresTopics) add(`${topic}${DLQ_SUFFIX}`, 'Write');
  }
  const topics: AclRule[] = [...topicOps]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ops]) => {
      const implied = ops.has('Read') || ops.has('Write');
      const operations = [...ops].filter((op) => !(implied && op === 'Describe')).sort();
      return { resource: { type: 'topic', name, patternType: 'literal' }, operations };
    });
  const groups = new Map(access.consumes.map((c) => [c.group, c.prefix]));
  const groupRules: AclRule[] = [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, prefix]) => ({ resource: { type: 'group', name, patternType: prefix ? 'prefix' : 'literal' }, operations: ['Read'] }));
  return [...topics, ...groupRules];
}

/** Every topic of the contracts (facts and channel feeds) and its dead-letter topic, as Strimzi KafkaTopic objects. */
export function kafkaTopics(): object[] {
  return ALL_TOPIC_CONTRACTS.flatMap((contract) =>
    [
      { name: contract.topic, retention: EVENT_RETENTION_MS },
      { name: `${contract.topic}${DLQ_SUFFIX}`, retention: DLQ_RETENTION_MS },
    ].map(({ name, retention }) => ({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
      spec: {
        topicName: name,
        // Dead-letter topics keep the partition count of their topic (TopicAdmin.ensureTopics does the same).
        partitions: contract.partitions,
        replicas: TOPIC_REPLICAS,
        config: { 'min.insync.replicas': MIN_INSYNC_REPLICAS, 'retention.ms': retention, 'cleanup.policy': 'delete' },
      },
    })),
  );
}

/** The KafkaUser KEDA reads the services' consumer lag as (scaling.yaml's TriggerAuthentication). */
export const LAG_READER = 'keda-lag-reader';

/**
 * What KEDA's Kafka triggers need to read a group's lag, and nothing more: Describe on each topic a
 * service's own (not per-replica) group consumes, for its end offsets, and Describe on each such
 * group, for its committed offsets.
 */
export function lagReaderAcls(): AclRule[] {
  const consumed = serviceKafkaAccess().flatMap((a) => a.consumes.filter((c) => !c.prefix));
  const rule = (type: 'topic' | 'group', name: string): AclRule => ({ resource: { type, name, patternType: 'literal' }, operations: ['Describe'] });
  const topics = [...new Set(consumed.map((c) => c.topic))].sort().map((topic) => rule('topic', topic));
  const groups = [...new Set(consumed.map((c) => c.group))].sort().map((group) => rule('group', group));
  return [...topics, ...groups];
}

/** One SCRAM KafkaUser per service and per channel integration, with exactly its ACLs, and KEDA's lag reader. */
export function kafkaUsers(): object[] {
  const users = [
    ...serviceKafkaAccess().map((a) => ({ name: a.service, kind: 'service', acls: aclsOf(a, true) })),
    ...channelKafkaAccess().map((a) => ({ name: a.service, kind: 'channel-integration', acls: aclsOf(a, false) })),
    { name: LAG_READER, kind: 'autoscaler', acls: lagReaderAcls() },
  ];
  return users.map(({ name, kind, acls }) => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: { name, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'omni-retail/kafka-client': kind } },
    spec: {
      authentication: { type: 'scram-sha-512' },
      // A user with no rule (a service that neither publishes nor consumes yet) may connect and do nothing.
      authorization: { type: 'simple', acls },
    },
  }));
}
