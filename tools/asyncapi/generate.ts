// Writes docs/asyncapi.yaml from the event contracts: `npm run asyncapi:generate`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderAsyncApiYaml } from './asyncapi';

const target = resolve(__dirname, '../../docs/asyncapi.yaml');
writeFileSync(target, renderAsyncApiYaml());
process.stdout.write(`wrote ${target}\n`);
