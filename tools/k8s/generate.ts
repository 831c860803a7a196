// Writes the production overlay's Strimzi topics and users from the contracts and the apps' modules:
// `npm run k8s:generate`. deploy/k8s-production.spec.ts fails when the files drift from the code.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderKafkaManifests } from './render';

const dir = resolve(__dirname, '../../deploy/k8s/overlays/production/kafka');
for (const [file, text] of Object.entries(renderKafkaManifests())) {
  writeFileSync(resolve(dir, file), text);
  process.stdout.write(`wrote ${resolve(dir, file)}\n`);
}
