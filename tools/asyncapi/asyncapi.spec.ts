import { Parser } from '@asyncapi/parser';
import { ALL_TOPIC_CONTRACTS } from '@omni/contracts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { buildAsyncApiDocument, renderAsyncApiYaml } from './asyncapi';

const committedPath = resolve(__dirname, '../../docs/asyncapi.yaml');

type Doc = {
  channels: Record<string, { address: string; bindings: { kafka: { partitions?: number } } }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { schemas: Record<string, { properties: Record<string, { const?: unknown; $ref?: string; items?: { $ref?: string } }> }> };
};

describe('AsyncAPI document', () => {
  jest.setTimeout(30_000);

  it('matches the committed docs/asyncapi.yaml byte for byte', () => {
    const committed = readFileSync(committedPath, 'utf8');
    if (renderAsyncApiYaml() !== committed) {
      throw new Error('docs/asyncapi.yaml is out of date: run npm run asyncapi:generate');
    }
  });

  it('renders the same text twice (deterministic)', () => {
    expect(renderAsyncApiYaml()).toBe(renderAsyncApiYaml());
  });

  it('parses with @asyncapi/parser without errors', async () => {
    const { document, diagnostics } = await new Parser().parse(renderAsyncApiYaml());
    // Severity 0 is an error; warnings and hints (e.g. "3.1.0 exists") do not make the document invalid.
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((diagnostic) => diagnostic.message)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.channels().length).toBe(ALL_TOPIC_CONTRACTS.length * 2);
  });

  it('has a channel, its DLQ and a send operation for every contract topic', () => {
    const doc = buildAsyncApiDocument() as Doc;
    for (const contract of ALL_TOPIC_CONTRACTS) {
      expect(doc.channels[contract.topic].address).toBe(contract.topic);
      expect(doc.channels[contract.topic].bindings.kafka.partitions).toBe(contract.partitions);
      expect(doc.channels[`${contract.topic}.dlq`].address).toBe(`${contract.topic}.dlq`);
      const sends = Object.values(doc.operations).filter((operation) => operation.channel.$ref === `#/channels/${contract.topic}`);
      expect(sends.map((operation) => operation.action)).toEqual(['send']);
    }
  });

  it('pins schemaVersion to each contract version and resolves nested classes to schemas', () => {
    const doc = buildAsyncApiDocument() as Doc;
    const { schemas } = doc.components;
    for (const contract of ALL_TOPIC_CONTRACTS) {
      expect(schemas[contract.payload.name].properties.schemaVersion.const).toBe(contract.version);
    }
    expect(schemas.StockReservedEvent.properties.lines.items?.$ref).toBe('#/components/schemas/StockLine');
    expect(schemas.ProductSnapshot.properties.skus.items?.$ref).toBe('#/components/schemas/ProductSku');
    expect(schemas.OrderLine.properties.unitPrice.$ref).toBe('#/components/schemas/Money');
    expect(Object.keys(schemas.DeductedStockLine.properties)).toEqual(expect.arrayContaining(['ownerType', 'quantity', 'sku']));
  });

  it('parses back from YAML to the same document', () => {
    expect(parse(readFileSync(committedPath, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildAsyncApiDocument())));
  });
});
