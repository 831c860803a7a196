import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The lowest port the kernel hands out on its own (to listen(0) and to outgoing connections). Ports
 * below it cannot be taken by a parallel test in the seconds between a check and a listen; a port
 * inside that range can be.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 20_100 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port (a multiple of 10 from 20,000, below the kernel's ephemeral range) whose `count`
 * ports are all free on this host: for a whole suite started with OMNI_PORT_BASE.
 */
export async function freePortBlock(count: number): Promise<number> {
  const slots = Math.floor((ephemeralLow() - 20_000) / 10) - Math.ceil(count / 10);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * slots) * 10;
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await portFree(base + i);
    if (ok) return base;
  }
  throw new Error(`no free block of ${count} ports`);
}
