import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMITTED_OPENAPI_PATH, generateOpenApiDocument } from './generate-openapi';
import { serialiseOpenApi } from './openapi.document';

describe('committed OpenAPI document', () => {
  it('matches what the gateway generates (regenerate: node -r @swc-node/register apps/gateway/src/docs/write-openapi.ts)', async () => {
    const generated = serialiseOpenApi(await generateOpenApiDocument());
    const committed = readFileSync(resolve(__dirname, '../../../..', COMMITTED_OPENAPI_PATH), 'utf8');
    expect(committed).toBe(generated);
  });

  it('puts every documented operation behind a channel key or a staff token', async () => {
    const document = await generateOpenApiDocument();
    const open: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        if (!operation.security || operation.security.length === 0) open.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(open).toEqual([]);
    expect(Object.keys(document.paths).length).toBeGreaterThan(10);
  });
});
