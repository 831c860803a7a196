import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, ServiceEnv } from '@omni/platform';
import { APP_PORTS, SERVICE_DATABASES } from '../tools/infra/infra';
import { deployedApps, repoRoot, requiredAppEnv } from './deploy-test.helpers';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    ports?: { name?: string; port: number; targetPort: string | number }[];
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds?: number;
        securityContext?: { runAsNonRoot?: boolean };
        containers: Container[];
      };
    };
  };
}

const baseDir = path.join(repoRoot, 'deploy', 'k8s', 'base');
const kustomization = parse(readFileSync(path.join(baseDir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; namespace?: string };
const apps = deployedApps();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

function documents(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as Manifest;
  });
}

const manifests = kustomization.resources.flatMap((resource) => documents(path.join(baseDir, resource)));
const find = (kind: string, name: string): Manifest | undefined => manifests.find((m) => m.kind === kind && m.metadata.name === name);

/** A probe or Service port given by name or number, as the container port number it means. */
function resolvePort(container: Container, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('kustomize base', () => {
  it('lists every manifest in the folder, and only files that exist (examples excepted)', () => {
    const onDisk = yamlFiles(baseDir)
      .map((file) => path.relative(baseDir, file).split(path.sep).join('/'))
      .filter((file) => file !== 'kustomization.yaml' && !file.endsWith('.example.yaml'))
      .sort();
    expect([...kustomization.resources].sort()).toEqual(onDisk);
    expect(kustomization.namespace).toBe('omni-retail');
    expect(find('Namespace', 'omni-retail')).toBeDefined();
  });

  it('parses every manifest into objects with a kind and a name', () => {
    for (const m of manifests) {
      expect(typeof m.apiVersion).toBe('string');
      expect(typeof m.kind).toBe('string');
      expect(typeof m.metadata?.name).toBe('string');
    }
  });

  it('shares valid settings: the shared ConfigMap passes the platform config validation', () => {
    const shared = find('ConfigMap', 'omni-shared-env')!.data ?? {};
    // The Secret-backed values, as the operator's Secrets supply them.
    const env = { ...shared, PORT: '3000', DATABASE_URL: 'postgres://omni@db.example:5432/omni_order', SERVICE_AUTH_KEY: 'an-operator-chosen-service-auth-key-0123456789' };
    const config = loadConfig(ServiceEnv, env);
    expect(config.NODE_ENV).toBe('production');
    expect(config.DEDUP_RETENTION_MS).toBe(Number(shared.DEDUP_RETENTION_MS));
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(Number(shared.SHUTDOWN_TIMEOUT_MS));
  });

  describe.each(apps)('%s', (app) => {
    const port = APP_PORTS[app];
    const deployment = find('Deployment', app);
    const service = find('Service', app);
    const pod = deployment?.spec?.template?.spec;
    const container = pod?.containers.find((c) => c.name === app) ?? pod?.containers[0];

    it('has a Deployment and a Service', () => {
      expect(port).toBeDefined();
      expect(deployment).toBeDefined();
      expect(service).toBeDefined();
      expect(container).toBeDefined();
    });

    it('probes liveness and readiness on the right paths and port', () => {
      expect(container!.ports?.map((p) => p.containerPort)).toContain(port);
      expect(container!.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(resolvePort(container!, container!.livenessProbe?.httpGet?.port)).toBe(port);
      expect(container!.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(resolvePort(container!, container!.readinessProbe?.httpGet?.port)).toBe(port);
      if (container!.startupProbe) expect(resolvePort(container!, container!.startupProbe.httpGet?.port)).toBe(port);
    });

    it('routes its Service to the pods and the app port', () => {
      const labels = deployment!.spec!.template!.metadata.labels;
      const selector = service!.spec!.selector as Record<string, string>;
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
      for (const [key, value] of Object.entries(deployment!.spec!.selector!.matchLabels!)) expect(labels[key]).toBe(value);
      const servicePort = service!.spec!.ports!.find((p) => p.port === port);
      expect(servicePort).toBeDefined();
      expect(resolvePort(container!, servicePort!.targetPort)).toBe(port);
    });

    it('gets every required variable, its own database URL and the app port', () => {
      const names = new Set(container!.env?.map((e) => e.name));
      for (const ref of container!.envFrom ?? []) {
        const configMap = find('ConfigMap', ref.configMapRef!.name);
        expect(configMap).toBeDefined();
        for (const key of Object.keys(configMap!.data ?? {})) names.add(key);
      }
      for (const variable of requiredAppEnv) expect({ variable, set: names.has(variable) }).toEqual({ variable, set: true });
      expect(container!.env?.find((e) => e.name === 'PORT')?.value).toBe(String(port));
      const secretRef = container!.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      expect(secretRef).toEqual({ name: 'omni-database-urls', key: app });
      const example = documents(path.join(baseDir, 'secret.example.yaml')).find((m) => m.kind === 'Secret');
      expect(example?.metadata.name).toBe('omni-database-urls');
      expect(new URL(example!.stringData![app]).pathname).toBe(`/${SERVICE_DATABASES[app]}`);
    });

    it('shuts down gracefully, is scraped, bounded and runs as non-root', () => {
      expect(pod!.terminationGracePeriodSeconds).toBe(15);
      const preStop = container!.lifecycle?.preStop;
      expect(preStop?.exec?.command ?? preStop?.sleep).toBeDefined();
      const annotations = deployment!.spec!.template!.metadata.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      expect(annotations['prometheus.io/port']).toBe(String(port));
      expect(container!.resources?.requests?.cpu).toBeDefined();
      expect(container!.resources?.requests?.memory).toBeDefined();
      expect(container!.resources?.limits?.memory).toBeDefined();
      expect(pod!.securityContext?.runAsNonRoot ?? container!.securityContext?.runAsNonRoot).toBe(true);
      expect(container!.securityContext?.allowPrivilegeEscalation).toBe(false);
    });
  });
});
