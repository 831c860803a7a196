import { createServer, type Server, type Socket } from 'node:net';
import { createKafka, kafkaSecurityConfig } from './kafka-client';
import { silentLogger } from './observability';

describe('kafkaSecurityConfig', () => {
  it.each([
    ['nothing', undefined, {}],
    ['TLS with the system CAs', { tls: true }, { ssl: true }],
    ['TLS with a CA of its own', { tls: { ca: ['PEM'] } }, { ssl: { ca: ['PEM'] } }],
    ['SCRAM-SHA-512 over TLS', { tls: true, sasl: { mechanism: 'scram-sha-512' as const, username: 'order', password: 'p' } }, { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'order', password: 'p' } }],
    ['SCRAM-SHA-256', { sasl: { mechanism: 'scram-sha-256' as const, username: 'u', password: 'p' } }, { sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } }],
    ['PLAIN', { sasl: { mechanism: 'plain' as const, username: 'u', password: 'p' } }, { sasl: { mechanism: 'plain', username: 'u', password: 'p' } }],
  ])('maps %s to the kafkajs options', (_what, security, expected) => {
    expect(kafkaSecurityConfig(security)).toEqual(expected);
  });
});

describe('createKafka', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  let firstBytes: Promise<Buffer>;

  beforeEach(async () => {
    let received!: (bytes: Buffer) => void;
    firstBytes = new Promise((resolve) => (received = resolve));
    server = createServer((socket) => {
      sockets.push(socket);
      socket.once('data', (bytes) => received(bytes));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  /** What a client made by createKafka sends first on a connection to our fake broker. */
  async function firstRecordOf(security: Parameters<typeof createKafka>[0]['security']): Promise<Buffer> {
    const admin = createKafka({ clientId: 'security-test', brokers: [`127.0.0.1:${port}`], logger: silentLogger, security, config: { retry: { retries: 0 }, connectionTimeout: 1000 } }).admin();
    const connecting = admin.connect().catch(() => undefined);
    const bytes = await firstBytes;
    for (const socket of sockets) socket.destroy();
    await connecting;
    await admin.disconnect();
    return bytes;
  }

  it('opens every connection with a TLS handshake when security asks for TLS', async () => {
    const bytes = await firstRecordOf({ tls: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    // A TLS record of type handshake (22) carrying a ClientHello (1).
    expect([bytes[0], bytes[5]]).toEqual([22, 1]);
  });

  it('speaks plain Kafka without security (its first request is ApiVersions, key 18)', async () => {
    const bytes = await firstRecordOf(undefined);
    expect(bytes.readInt16BE(4)).toBe(18);
  });
});
