// Regenerates docs/openapi/gateway.json: node -r @swc-node/register apps/gateway/src/docs/write-openapi.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serialiseOpenApi } from './openapi.document';
import { COMMITTED_OPENAPI_PATH, generateOpenApiDocument } from './generate-openapi';

void generateOpenApiDocument().then((document) => {
  const target = resolve(__dirname, '../../../..', COMMITTED_OPENAPI_PATH);
  writeFileSync(target, serialiseOpenApi(document));
  process.stdout.write(`wrote ${target} (${Object.keys(document.paths).length} paths)\n`);
});
