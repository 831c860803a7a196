import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { MAX_REPLICAS, parseReplicas, ReplicasError, replicaName, replicaPorts, replicasSpec, startBalancer } from './replicas';

const SERVICES = ['catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector', 'gateway'];

describe('parseReplicas', () => {
  it('gives every service one replica when nothing is asked', () => {
    for (const spec of [undefined, '', '  ']) expect([...parseReplicas(spec, SERVICES).values()]).toEqual(Array(7).fill(1));
  });

  it('reads service=count pairs, spaces allowed, others keep one', () => {
    const counts = parseReplicas('order=2, inventory = 3', SERVICES);
    expect(Object.fromEntries(counts)).toEqual({ catalog: 1, inventory: 3, order: 2, pricing: 1, member: 1, 'o2o-connector': 1, gateway: 1 });
  });

  it.each([
    ['order', /"order" is not <service>=<count>/],
    ['order=two', /"order=two" is not/],
    ['order=-1', /is not/],
    ['order=2,', /"" is not/],
    ['shipping=2', /unknown service "shipping"/],
    ['order=2,order=3', /"order" is named twice/],
    ['order=0', /order=0 must be between 1 and 9/],
    [`order=${MAX_REPLICAS + 1}`, /must be between 1 and 9/],
  ])('refuses %s, naming what is wrong', (spec, message) => {
    expect(() => parseReplicas(spec, SERVICES)).toThrow(ReplicasError);
    expect(() => parseReplicas(spec, SERVICES)).toThrow(message);
  });
});

describe('replicasSpec', () => {
  it('takes --replicas X, --replicas=X, then OMNI_REPLICAS', () => {
    expect(replicasSpec(['--no-demo', '--replicas', 'order=2'], { OMNI_REPLICAS: 'inventory=2' })).toBe('order=2');
    expect(replicasSpec(['--replicas=order=3'], {})).toBe('order=3');
    expect(replicasSpec(['--no-demo'], { OMNI_REPLICAS: 'inventory=2' })).toBe('inventory=2');
    expect(replicasSpec([], {})).toBeUndefined();
  });

  it('refuses --replicas without a value', () => {
    expect(() => replicasSpec(['--replicas'], {})).toThrow(/needs a value/);
    expect(() => replicasSpec(['--replicas', '--no-demo'], {})).toThrow(/needs a value/);
  });
});

describe('replica ports and names', () => {
  it('keeps the usual port for one replica, else usual + 10·k', () => {
    expect(replicaPorts(3003, 1)).toEqual([3003]);
    expect(replicaPorts(3003, 2)).toEqual([3013, 3023]);
    expect(replicaPorts(3002, 3)).toEqual([3012, 3022, 3032]);
  });

  it('never gives two processes of a suite the same port', () => {
    const counts = parseReplicas(SERVICES.map((s) => `${s}=${MAX_REPLICAS}`).join(','), SERVICES);
    const ports = SERVICES.flatMap((app, offset) => [3000 + offset, ...replicaPorts(3000 + offset, counts.get(app)!)]);
    expect(new Set(ports).size).toBe(ports.length);
    // …and none lands on the platform simulators' ports (base + 7, base + 8).
    expect(ports.filter((p) => p === 3007 || p === 3008)).toEqual([]);
  });

  it('names replicas service-k only when there are several', () => {
    expect(replicaName('order', 0, 1)).toBe('order');
    expect([0, 1].map((k) => replicaName('order', k, 2))).toEqual(['order-1', 'order-2']);
  });
});

describe('startBalancer', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A server on a free port that answers each connection with its tag. */
  async function tagged(tag: string): Promise<number> {
    const server = createServer((socket) => socket.end(tag));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as { port: number }).port;
  }

  async function ask(port: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
  }

  it('spreads connections round-robin and skips a replica that is gone', async () => {
    const a = await tagged('a');
    const b = await tagged('b');
    const deadPort = await tagged('dead');
    await new Promise((r) => servers.pop()!.close(r));
    const balancer = await startBalancer(0, [a, deadPort, b]);
    servers.push(balancer);
    const port = (balancer.address() as { port: number }).port;
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(port));
    expect(answers.filter((x) => x === 'a').length).toBeGreaterThanOrEqual(2);
    expect(answers.filter((x) => x === 'b').length).toBeGreaterThanOrEqual(2);
    expect(answers.every((x) => x === 'a' || x === 'b')).toBe(true);
  });
});
