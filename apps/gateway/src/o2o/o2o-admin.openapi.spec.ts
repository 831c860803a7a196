import { generateOpenApiDocument } from '../docs/generate-openapi';

type Operation = { operationId?: string; security?: Array<Record<string, unknown>>; 'x-required-roles'?: string[] };

describe('the O2O staff routes in the OpenAPI document', () => {
  it.each([
    ['get', '/admin/o2o/platforms/{platform}/mappings', ['stock-operator']],
    ['put', '/admin/o2o/platforms/{platform}/sku-mappings', ['stock-operator']],
    ['put', '/admin/o2o/platforms/{platform}/store-mappings', ['stock-operator']],
    ['delete', '/admin/o2o/platforms/{platform}/sku-mappings/{id}', ['stock-operator']],
    ['delete', '/admin/o2o/platforms/{platform}/store-mappings/{id}', ['stock-operator']],
    ['post', '/admin/o2o/platforms/{platform}/resync', ['stock-operator']],
    ['get', '/admin/o2o/platforms/{platform}/sync-health', ['stock-operator']],
    ['post', '/admin/o2o/platforms/{platform}/reconciliations', ['pricing-manager']],
    ['get', '/admin/o2o/platforms/{platform}/reconciliations', ['pricing-manager']],
    ['get', '/admin/o2o/reconciliations/{id}', ['pricing-manager']],
  ])('%s %s needs a staff token with %j', async (method, path, roles) => {
    const document = await generateOpenApiDocument();
    const operation = (document.paths[path] as Record<string, Operation> | undefined)?.[method];
    expect(operation).toBeDefined();
    expect(operation!.security).toEqual([{ 'staff-token': [] }]);
    expect(operation!['x-required-roles']).toEqual(roles);
  });
});
