import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './deploy-test.helpers';
import { renderKustomization, type K8sObject } from './k8s-render.helpers';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read as plain JSON */

// The O2O connector in production: it reaches the platforms on the internet over HTTPS and nothing
// else outside the cluster; the platform simulator is a local tool that no image or manifest carries.
const objects = renderKustomization(path.join(repoRoot, 'deploy', 'k8s', 'overlays', 'production'));
const policyOf = (app: string): any => objects.find((o: K8sObject) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === app);
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

describe('O2O connector deployment', () => {
  it('lets the connector, and only the connector, reach the platforms: public addresses on 443, never the private ranges', () => {
    const external = (app: string) => (policyOf(app)?.spec.egress ?? []).filter((rule: any) => (rule.to ?? []).some((peer: any) => peer.ipBlock));
    const rules = external('o2o-connector');
    expect(rules).toHaveLength(1);
    expect(rules[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    const block = rules[0].to[0].ipBlock;
    expect(block.cidr).toBe('0.0.0.0/0');
    for (const range of PRIVATE_RANGES) expect(block.except).toContain(range);
    for (const app of ['gateway', 'catalog', 'inventory', 'order', 'pricing', 'member']) expect({ app, rules: external(app) }).toEqual({ app, rules: [] });
  });

  it('never ships the platform simulator: the images hold only apps and libs, and no manifest runs it', () => {
    const build = readFileSync(path.join(repoRoot, 'tools', 'build.mjs'), 'utf8');
    expect(build).toMatch(/for \(const group of \['apps', 'libs'\]\)/);
    expect(readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n')).toContain('tools/platform-simulator');
    expect(JSON.stringify(objects)).not.toMatch(/simulator/);
    const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(compose.services).filter((name) => /simulator/.test(name))).toEqual([]);
  });
});
