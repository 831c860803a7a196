import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import Ajv from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ALL_TOPIC_CONTRACTS, contractForTopic, FEED_CHANNELS, FEED_SOURCES } from '@omni/contracts';
import { loadConfig, ServiceEnv } from '@omni/platform';
import { APP_PORTS } from '../tools/infra/infra';
import { aclsOf, catalogCacheGroupPrefix, CHANNEL_INTEGRATIONS, channelKafkaAccess, DLQ_SUFFIX, LAG_READER, serviceKafkaAccess } from '../tools/k8s/kafka-access';
import { renderKafkaManifests } from '../tools/k8s/render';
import { SOLD_OUT_GROUP_PREFIX } from '../apps/gateway/src/sold-out/sold-out.feed';
import { appEnvClass, deployedApps, orderPlaceAnswerBoundMs, repoRoot } from './deploy-test.helpers';
import { K8sObject, renderKustomization } from './k8s-render.helpers';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read as plain JSON */

const overlayDir = path.join(repoRoot, 'deploy', 'k8s', 'overlays', 'production');
const objects = renderKustomization(overlayDir);
const apps = deployedApps();
const ofKind = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const find = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);
const deployment = (app: string): K8sObject => find('Deployment', app)!;
const podOf = (app: string): any => deployment(app).spec.template.spec;
const appContainer = (app: string): any => podOf(app).containers.find((c: any) => c.name === app);
const envOf = (container: any, name: string): string | undefined => container.env?.find((e: any) => e.name === name)?.value;

/** Models of every kind the overlay may render (the Kubernetes, KEDA and Prometheus Operator schemas). */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'v1/Secret': Secret,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};
const strimziSchema = JSON.parse(readFileSync(path.join(repoRoot, 'deploy', 'k8s', 'strimzi-v1.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const STRIMZI: Record<string, ReturnType<Ajv['compile']>> = {
  'kafka.strimzi.io/v1/KafkaTopic': ajv.compile({ ...strimziSchema, $ref: '#/definitions/KafkaTopic' }),
  'kafka.strimzi.io/v1/KafkaUser': ajv.compile({ ...strimziSchema, $ref: '#/definitions/KafkaUser' }),
};

/** Problems of one object against its schema; one line each, empty when valid. */
function schemaProblems(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const strimzi = STRIMZI[key];
  if (strimzi) return strimzi(object) ? [] : (strimzi.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  const Model = MODELS[key];
  if (!Model) return [`no schema for ${key}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** Every metric name the code registers (prom-client `name: '...'` or the messaging helpers' first argument). */
function registeredMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (entry === 'node_modules' || entry === 'test') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (/(?<!\.spec|\.int-spec|\.e2e-spec)\.ts$/.test(entry)) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/name: '([a-z_]+)'/g)) names.add(m[1]);
        for (const m of text.matchAll(/(?:counter|getSingleMetric)\(registry, '([a-z_]+)'/g)) names.add(m[1]);
        for (const m of text.matchAll(/getSingleMetric\('([a-z_]+)'\)/g)) names.add(m[1]);
      }
    }
  };
  walk(path.join(repoRoot, 'apps'));
  walk(path.join(repoRoot, 'libs'));
  return names;
}
/** Metrics served by the platform, not the apps: where each comes from. */
const EXTERNAL_METRICS: Record<string, string> = { kafka_consumergroup_lag: "Strimzi's Kafka Exporter (Kafka spec.kafkaExporter)" };
/** Port of the Strimzi cluster's `tls` listener (TLS, SCRAM-SHA-512), the one the apps use. */
const KAFKA_TLS_PORT = 9093;
const PROMQL_WORDS = new Set(['time', 'sum', 'by', 'max', 'min', 'rate', 'increase', 'avg', 'on', 'without', 'and', 'or', 'unless', 'histogram_quantile', 'status_code', 'service', 'op', 'participant', 'topic', 'group', 'consumergroup', 'le']);

describe('production overlay (kustomize render, offline)', () => {
  it('renders every app, and every object validates against its schema', () => {
    for (const app of apps) expect({ app, deployment: !!find('Deployment', app) }).toEqual({ app, deployment: true });
    const problems = objects.map((o) => ({ object: `${o.kind}/${o.metadata.name}`, problems: schemaProblems(o) })).filter((p) => p.problems.length > 0);
    expect(problems).toEqual([]);
    expect(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'omni-retail')).toBe(true);
  });

  it('refuses an object that breaks its schema (the validation is not a no-op)', () => {
    const broken = JSON.parse(JSON.stringify(deployment('order')));
    broken.spec.template.spec.containers[0].resources.limits.cpu = { cores: 1 };
    expect(schemaProblems(broken).join()).toMatch(/limits\/cpu/);
    const topic = JSON.parse(JSON.stringify(ofKind('KafkaTopic')[0]));
    topic.spec.partitionz = 3;
    expect(schemaProblems(topic).join()).toMatch(/additional properties/);
  });

  describe('every container', () => {
    const containers = ofKind('Deployment').flatMap((d) =>
      [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])].map((c: any) => ({ where: `${d.metadata.name}/${c.name}`, pod: d.spec.template.spec, container: c, init: !d.spec.template.spec.containers.includes(c) })),
    );

    it.each(containers.map((c) => [c.where, c] as const))('%s has requests, limits, non-root, a read-only root and a pinned image', (_where, { pod, container }) => {
      for (const kind of ['requests', 'limits']) for (const resource of ['cpu', 'memory']) expect({ [kind]: resource, set: !!container.resources?.[kind]?.[resource] }).toEqual({ [kind]: resource, set: true });
      expect(container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot).toBe(true);
      expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      const image: string = container.image;
      const tag = /@sha256:[0-9a-f]{64}$/.test(image) ? 'digest' : /:([^/:]+)$/.exec(image)?.[1];
      expect({ image, tag: tag ?? 'none' }).not.toEqual({ image, tag: 'none' });
      expect(tag).not.toBe('latest');
    });

    it.each(containers.filter((c) => !c.init).map((c) => [c.where, c] as const))('%s is probed for liveness and readiness', (_where, { container }) => {
      expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
    });

    it('writes the sizing reasons beside the values', () => {
      for (const app of apps) {
        const patch = readFileSync(path.join(overlayDir, 'patches', `${app}.yaml`), 'utf8');
        expect({ app, reasoned: /#[^\n]*bench/i.test(patch) }).toEqual({ app, reasoned: true });
        expect(patch).toMatch(/resources:/);
      }
    });
  });

  describe('migrations run once per release, never raced by replicas', () => {
    it.each(apps)('%s: an init container migrates (DB_MIGRATIONS=only, same image and env), the app does not', (app) => {
      const main = appContainer(app);
      const init = (podOf(app).initContainers ?? []).find((c: any) => c.name === 'migrate');
      expect(init).toBeDefined();
      expect(init.image).toBe(main.image);
      expect(envOf(init, 'DB_MIGRATIONS')).toBe('only');
      expect(envOf(main, 'DB_MIGRATIONS')).toBe('skip');
      const without = (env: any[]) => env.filter((e) => e.name !== 'DB_MIGRATIONS');
      expect(without(init.env)).toEqual(without(main.env));
      expect(init.envFrom).toEqual(main.envFrom);
      const shared = find('ConfigMap', 'omni-shared-env')!.data!;
      const env = Object.fromEntries([...Object.entries(shared), ...init.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])]);
      // DATABASE_URL, SERVICE_AUTH_KEY and KAFKA_SASL_PASSWORD come from Secrets (asserted equal to the app's above).
      const fromSecrets = { DATABASE_URL: 'postgres://x@db:5432/x', SERVICE_AUTH_KEY: 'an-operator-chosen-service-auth-key-0123456789', KAFKA_SASL_PASSWORD: 'written-by-strimzi' };
      expect(loadConfig(ServiceEnv, { ...env, ...fromSecrets }).DB_MIGRATIONS).toBe('only');
    });
  });

  it("gives the gateway longer to place an order than the order service takes to answer (its decision wait, routing and database waits)", () => {
    const shared = find('ConfigMap', 'omni-shared-env')!.data!;
    // What the Secrets supply, as placeholders the validation accepts.
    const fromSecrets = {
      DATABASE_URL: 'postgres://x@db:5432/x',
      SERVICE_AUTH_KEY: 'an-operator-chosen-service-auth-key-0123456789',
      KAFKA_SASL_PASSWORD: 'written-by-strimzi',
      STAFF_JWT_SECRET: 'an-operator-chosen-staff-token-secret-0123456789',
      MEMBER_JWT_SECRET: 'an-operator-chosen-member-token-secret-0123456789',
      ORDER_PAYMENT_SECRET: 'an-operator-chosen-payment-secret',
    };
    const settings = (app: string): Record<string, number> => {
      const own = appContainer(app).env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]);
      const env = { ...shared, ...Object.fromEntries(own), ...fromSecrets };
      return loadConfig(appEnvClass(app), env, { service: app, defaultPort: APP_PORTS[app] }) as unknown as Record<string, number>;
    };
    const order = settings('order') as { ORDER_ROUTING_TIMEOUT_MS: number; ORDER_DECISION_WAIT_MS: number };
    expect(settings('gateway').ORDER_PLACE_TIMEOUT_MS).toBeGreaterThan(orderPlaceAnswerBoundMs(order));
  });

  describe('availability', () => {
    it.each(apps)('%s has a disruption budget, spreads over nodes and zones, and runs at least 2 replicas', (app) => {
      const pdb = ofKind('PodDisruptionBudget').find((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === app);
      expect(pdb).toBeDefined();
      expect(pdb!.spec.maxUnavailable ?? 0).toBeLessThanOrEqual(1);
      const spread = podOf(app).topologySpreadConstraints ?? [];
      expect(spread.map((s: any) => s.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      for (const s of spread) expect(s.matchLabelKeys).toContain('app.kubernetes.io/name');
      const hpa = find('HorizontalPodAutoscaler', app);
      const scaled = find('ScaledObject', app);
      expect(hpa?.spec.minReplicas ?? scaled?.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
    });
  });

  describe('autoscaling', () => {
    const access = serviceKafkaAccess();
    const brokers = find('ConfigMap', 'omni-shared-env')!.data!.KAFKA_BROKERS;

    it.each(access.map((a) => [a.service, a] as const))('%s: KEDA on its groups\' lag when it consumes, else an HPA on CPU; one of them', (app, a) => {
      const groups = a.consumes.filter((c) => !c.prefix);
      const hpa = find('HorizontalPodAutoscaler', app);
      const scaled = find('ScaledObject', app);
      expect([!!hpa, !!scaled]).toEqual(groups.length > 0 ? [false, true] : [true, false]);
      if (!scaled) {
        expect(hpa!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
        return;
      }
      expect(scaled.spec.scaleTargetRef.name).toBe(app);
      const triggers = scaled.spec.triggers.filter((t: any) => t.type === 'kafka');
      expect(triggers.map((t: any) => `${t.metadata.topic}@${t.metadata.consumerGroup}`).sort()).toEqual(groups.map((c) => `${c.topic}@${c.group}`).sort());
      // KEDA reads the lag where the apps consume, as the lag reader (TLS, SCRAM).
      for (const t of triggers) {
        expect(t.metadata).toMatchObject({ bootstrapServers: brokers, sasl: 'scram_sha512', tls: 'enable' });
        expect(t.authenticationRef).toEqual({ name: 'kafka-lag-reader' });
      }
      const partitions = Math.min(...groups.map((c) => contractForTopic(c.topic)!.partitions));
      expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
    });
  });

  describe('network policies', () => {
    const policies = ofKind('NetworkPolicy');
    const policyOf = (app: string) => policies.find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === app)!;
    const appsIn = (peers: any[]): string[] => peers.filter((peer) => !peer.namespaceSelector).map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name']).filter((a): a is string => !!a);
    /** The apps `app` calls, from the http://<service>:<port> values of its env. */
    const callsOf = (app: string): string[] =>
      (appContainer(app).env ?? [])
        .map((e: any) => /^https?:\/\/([a-z0-9-]+):(\d+)/.exec(e.value ?? ''))
        .filter((m: RegExpExecArray | null): m is RegExpExecArray => !!m && apps.includes(m[1]) && APP_PORTS[m[1]] === Number(m[2]))
        .map((m: RegExpExecArray) => m[1]);

    it('denies everything by default, in and out', () => {
      const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress);
      expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    });

    it('lets only the gateway be reached from the ingress controller', () => {
      const fromIngress = policies.filter((p) => (p.spec.ingress ?? []).some((rule: any) => (rule.from ?? []).some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx')));
      expect(fromIngress.map((p) => p.metadata.name)).toEqual(['gateway']);
      expect(ofKind('Ingress').map((i) => i.spec.rules[0].http.paths[0].backend.service.name)).toEqual(['gateway']);
    });

    it.each(apps)('%s reaches Kafka, Postgres, Redis and exactly the apps it calls; only its callers reach it', (app) => {
      const policy = policyOf(app);
      expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      const egress: any[] = policy.spec.egress;
      const egressPorts = egress.flatMap((rule) => rule.ports.map((p: any) => p.port));
      for (const port of [KAFKA_TLS_PORT, 5432, 6379]) expect(egressPorts).toContain(port);
      expect(egressPorts).not.toContain(9092);
      const calls = callsOf(app);
      expect(egress.flatMap((rule) => appsIn(rule.to ?? [])).sort()).toEqual([...calls].sort());
      for (const callee of calls) {
        const rule = egress.find((r) => appsIn(r.to ?? []).includes(callee));
        expect(rule.ports.map((p: any) => p.port)).toEqual([APP_PORTS[callee]]);
      }
      const callers = apps.filter((other) => callsOf(other).includes(app));
      expect(policy.spec.ingress.flatMap((rule: any) => appsIn(rule.from ?? [])).sort()).toEqual(callers.sort());
      for (const rule of policy.spec.ingress) expect(rule.ports.map((p: any) => p.port)).toEqual([APP_PORTS[app]]);
    });
  });

  describe('Kafka authentication (each app as its own KafkaUser over TLS)', () => {
    const shared = find('ConfigMap', 'omni-shared-env')!.data!;
    const secretRefOf = (container: any, name: string) => container.env?.find((e: any) => e.name === name)?.valueFrom?.secretKeyRef;

    it('points every app at the TLS/SCRAM listener with scram-sha-512 and Strimzi\'s cluster CA', () => {
      expect(shared.KAFKA_BROKERS).toBe(`omni-kafka-kafka-bootstrap.kafka.svc:${KAFKA_TLS_PORT}`);
      expect([shared.KAFKA_SASL_MECHANISM, shared.KAFKA_SSL, shared.KAFKA_SSL_CA_FILE]).toEqual(['scram-sha-512', 'true', '/etc/kafka-ca/ca.crt']);
    });

    it('lets KEDA read the groups\' lag as its own user, allowed to describe exactly the topics and groups its triggers name', () => {
      const auth = find('TriggerAuthentication', 'kafka-lag-reader')!;
      const refs = Object.fromEntries(auth.spec.secretTargetRef.map((r: any) => [r.parameter, { name: r.name, key: r.key }]));
      expect(refs).toEqual({
        username: { name: 'kafka-lag-reader-username', key: 'username' },
        password: { name: LAG_READER, key: 'password' },
        ca: { name: 'omni-kafka-cluster-ca-cert', key: 'ca.crt' },
      });
      expect((find('Secret', 'kafka-lag-reader-username') as any).stringData).toEqual({ username: LAG_READER });
      const user = find('KafkaUser', LAG_READER)!;
      expect(user.spec.authentication.type).toBe('scram-sha-512');
      const triggers = ofKind('ScaledObject').flatMap((o) => o.spec.triggers.filter((t: any) => t.type === 'kafka'));
      const described = (type: string) => user.spec.authorization.acls.filter((acl: any) => acl.resource.type === type && acl.operations.join() === 'Describe').map((acl: any) => acl.resource.name).sort();
      expect(user.spec.authorization.acls.every((acl: any) => acl.operations.join() === 'Describe' && acl.resource.patternType === 'literal')).toBe(true);
      expect(described('topic')).toEqual([...new Set(triggers.map((t: any) => t.metadata.topic))].sort());
      expect(described('group')).toEqual([...new Set(triggers.map((t: any) => t.metadata.consumerGroup))].sort());
    });

    it.each(apps)('%s: every container reads its SASL user name and password from its own KafkaUser, and mounts the CA', (app) => {
      const user = find('KafkaUser', app);
      expect(user?.spec.authentication.type).toBe(shared.KAFKA_SASL_MECHANISM);
      const pod = podOf(app);
      const volume = pod.volumes.find((v: any) => v.name === 'kafka-ca');
      expect(volume?.secret).toEqual({ secretName: 'omni-kafka-cluster-ca-cert', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const where = `${app}/${container.name}`;
        expect(container.envFrom).toEqual([{ configMapRef: { name: 'omni-shared-env' } }]);
        // Strimzi's user operator names the Secret after the user and keeps the password under `password`.
        expect({ where, username: envOf(container, 'KAFKA_SASL_USERNAME'), password: secretRefOf(container, 'KAFKA_SASL_PASSWORD') }).toEqual({ where, username: app, password: { name: app, key: 'password' } });
        const mount = container.volumeMounts.find((m: any) => m.name === 'kafka-ca');
        expect({ where, mountPath: mount?.mountPath, readOnly: mount?.readOnly }).toEqual({ where, mountPath: path.dirname(shared.KAFKA_SSL_CA_FILE), readOnly: true });
      }
      const env = Object.fromEntries([...Object.entries(shared), ...appContainer(app).env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])]);
      const config = loadConfig(ServiceEnv, { ...env, DATABASE_URL: 'postgres://x@db:5432/x', SERVICE_AUTH_KEY: 'an-operator-chosen-service-auth-key-0123456789', KAFKA_SASL_PASSWORD: 'written-by-strimzi' });
      expect([config.KAFKA_SASL_MECHANISM, config.KAFKA_SASL_USERNAME, config.KAFKA_SSL]).toEqual(['scram-sha-512', app, true]);
    });
  });

  describe('Kafka topics and users (Strimzi)', () => {
    const topics = ofKind('KafkaTopic');
    const dedupRetentionMs = Number(find('ConfigMap', 'omni-shared-env')!.data!.DEDUP_RETENTION_MS);

    it('the generated files are what the contracts and the apps\' modules give (npm run k8s:generate)', () => {
      for (const [file, text] of Object.entries(renderKafkaManifests())) expect({ file, text: readFileSync(path.join(overlayDir, 'kafka', file), 'utf8') }).toEqual({ file, text });
    });

    it('has a KafkaTopic for every contract topic and its dead-letter topic, and none without a contract', () => {
      const expected = ALL_TOPIC_CONTRACTS.flatMap((c) => [c.topic, `${c.topic}${DLQ_SUFFIX}`]).sort();
      expect(topics.map((t) => t.spec.topicName ?? t.metadata.name).sort()).toEqual(expected);
    });

    it.each(topics.map((t) => [t.metadata.name, t] as const))('%s: partitions from its contract, 3 replicas, min.insync 2, retention under the dedupe window', (name, topic) => {
      const contract = contractForTopic(name.endsWith(DLQ_SUFFIX) ? name.slice(0, -DLQ_SUFFIX.length) : name)!;
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBeDefined();
      expect(topic.spec.partitions).toBe(contract.partitions);
      expect(topic.spec.replicas).toBe(3);
      expect(topic.spec.config['min.insync.replicas']).toBe(2);
      expect(topic.spec.config['retention.ms']).toBeGreaterThan(0);
      if (!name.endsWith(DLQ_SUFFIX)) expect(topic.spec.config['retention.ms']).toBeLessThan(dedupRetentionMs);
    });

    it('has one KafkaUser per service and per channel integration, with exactly the ACLs of what it publishes and consumes', () => {
      const access = [...serviceKafkaAccess().map((a) => ({ a, service: true })), ...channelKafkaAccess().map((a) => ({ a, service: false }))];
      const users = ofKind('KafkaUser');
      expect(users.map((u) => u.metadata.name).sort()).toEqual([...access.map(({ a }) => a.service), LAG_READER].sort());
      for (const { a, service } of access) {
        const user = users.find((u) => u.metadata.name === a.service)!;
        expect({ user: a.service, acls: user.spec.authorization.acls }).toEqual({ user: a.service, acls: aclsOf(a, service) });
      }
    });

    it('grants, read straight from the contracts and the handlers, what each service needs and nothing on topics it does not touch', () => {
      const users = new Map(ofKind('KafkaUser').map((u) => [u.metadata.name, u.spec.authorization.acls as any[]]));
      const opsOn = (user: string, topic: string): string[] => (users.get(user) ?? []).filter((r) => r.resource.type === 'topic' && r.resource.name === topic).flatMap((r) => r.operations);
      // The publisher writes its topics; catalog also reads its own product-changed, to cut the channel feeds from it.
      const alsoReads = new Set(['catalog product-changed']);
      for (const contract of ALL_TOPIC_CONTRACTS) {
        const ops = alsoReads.has(`${contract.source} ${contract.topic}`) ? ['Read', 'Write'] : ['Write'];
        expect({ topic: contract.topic, source: contract.source, ops: opsOn(contract.source, contract.topic) }).toEqual({ topic: contract.topic, source: contract.source, ops });
      }
      expect(opsOn('pricing', 'tcc-branch-replied')).toEqual(['Write']);
      expect(opsOn('order', 'tcc-branch-replied')).toEqual(['Read']);
      expect(opsOn('order', 'tcc-branch-replied.dlq')).toEqual(['Write']);
      expect(opsOn('inventory', 'order-return-disposed')).toEqual(['Read']);
      expect(users.get('inventory')!.filter((r) => r.resource.type === 'group').map((r) => r.resource.name)).toEqual(['inventory', 'inventory-returns']);
      expect(opsOn('member', 'order-created')).toEqual([]);
      for (const [user, acls] of users) for (const rule of acls) expect({ user, rule: rule.resource.name, all: rule.operations.includes('All') }).toEqual({ user, rule: rule.resource.name, all: false });
      // Every consumed topic has a publisher among the services.
      const published = new Set(serviceKafkaAccess().flatMap((a) => a.publishes));
      for (const a of [...serviceKafkaAccess(), ...channelKafkaAccess()]) for (const c of a.consumes) expect({ consumed: c.topic, published: published.has(c.topic) }).toEqual({ consumed: c.topic, published: true });
    });

    it("lets each channel integration read its own channel's feeds and no topic carrying other channels' prices, quotas, listings or orders", () => {
      const users = new Map(ofKind('KafkaUser').map((u) => [u.metadata.name, u.spec.authorization.acls as any[]]));
      expect(CHANNEL_INTEGRATIONS.map((i) => i.channel).sort()).toEqual([...FEED_CHANNELS].sort());
      for (const integration of CHANNEL_INTEGRATIONS) {
        const readable = (users.get(integration.name) ?? []).filter((r) => r.resource.type === 'topic' && r.operations.includes('Read')).map((r) => r.resource.name as string);
        const feeds = readable.filter((topic) => topic.startsWith('feed.'));
        expect({ user: integration.name, feeds: feeds.sort() }).toEqual({ user: integration.name, feeds: FEED_SOURCES.map((source) => `feed.${integration.channel}.${source.topic}`).sort() });
        // Nothing but its own feeds: no internal topic (they carry every channel's figures and orders).
        expect({ user: integration.name, other: readable.filter((topic) => !topic.startsWith(`feed.${integration.channel}.`)) }).toEqual({ user: integration.name, other: [] });
        // Literal topics only: no prefix rule could reach another channel's feed.
        expect((users.get(integration.name) ?? []).filter((r) => r.resource.type === 'topic' && r.resource.patternType !== 'literal')).toEqual([]);
      }
    });

    it('names the catalog cache\'s per-replica groups as the catalog cache does', () => {
      const source = readFileSync(path.join(repoRoot, 'libs', 'catalog-cache', 'src', 'catalog-cache.ts'), 'utf8');
      expect(source).toContain('groupId: `${options.service}.catalog-cache.${instance}`');
      expect(catalogCacheGroupPrefix('gateway')).toBe('gateway.catalog-cache.');
    });

    it("lets the gateway read stock-changed with the sold-out projection's per-replica groups, as the projection names them", () => {
      const source = readFileSync(path.join(repoRoot, 'apps', 'gateway', 'src', 'sold-out', 'sold-out.feed.ts'), 'utf8');
      expect(source).toContain('groupId: `${this.env.KAFKA_TOPIC_PREFIX}${SOLD_OUT_GROUP_PREFIX}${instance}`');
      const gateway = ofKind('KafkaUser').find((u) => u.metadata.name === 'gateway')!.spec.authorization.acls as any[];
      expect(gateway).toEqual(
        expect.arrayContaining([
          { resource: { type: 'topic', name: 'stock-changed', patternType: 'literal' }, operations: ['Read'] },
          { resource: { type: 'topic', name: 'stock-changed.dlq', patternType: 'literal' }, operations: ['Write'] },
          { resource: { type: 'group', name: SOLD_OUT_GROUP_PREFIX, patternType: 'prefix' }, operations: ['Read'] },
        ]),
      );
    });
  });

  describe('monitoring', () => {
    const rules = ofKind('PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules));
    const runbook = readFileSync(path.join(repoRoot, 'deploy', 'RUNBOOK.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));

    it('scrapes every app\'s Service on /metrics', () => {
      const monitor = find('ServiceMonitor', 'omni-retail')!;
      for (const app of apps) {
        const labels = find('Service', app)!.metadata.labels ?? {};
        for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) expect({ app, key, value: labels[key] }).toEqual({ app, key, value });
      }
      expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    });

    it('alerts on the saga, dead letters, consumer lag, the outbox backlog, the 5xx rate and the Redis gate rebuild', () => {
      const exprs = rules.map((r: any) => String(r.expr)).join('\n');
      for (const metric of ['tcc_phase_alerts_total', 'tcc_held_branch_alerts_total', 'messaging_dead_lettered_total', 'kafka_consumergroup_lag', 'messaging_outbox_lag_seconds', 'http_request_duration_seconds_count{status_code=~"5.."}', 'inventory_redis_gate_rebuild_failures_total', 'inventory_redis_gate_last_success_timestamp_seconds']) expect(exprs).toContain(metric);
    });

    it.each(rules.map((r: any) => [r.alert, r] as const))('%s uses metrics that exist and has a runbook entry', (_alert, rule: any) => {
      const known = registeredMetricNames();
      const expr = String(rule.expr).replace(/\{[^}]*\}/g, '').replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
      const names = [...expr.matchAll(/[a-z_][a-z0-9_]*/g)].map((m) => m[0]).filter((word) => !PROMQL_WORDS.has(word));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const base = name.replace(/_(count|sum|bucket)$/, '');
        expect({ name, exists: known.has(name) || known.has(base) || name in EXTERNAL_METRICS }).toEqual({ name, exists: true });
      }
      const anchor = /RUNBOOK\.md#([a-z0-9-]+)$/.exec(rule.annotations.runbook_url)?.[1];
      expect({ anchor, inRunbook: anchors.has(anchor ?? '') }).toEqual({ anchor, inRunbook: true });
      expect(runbook).toContain(rule.alert);
    });
  });
});
