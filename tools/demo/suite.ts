// Where the running suite is and how the demo tools talk to it: plain HTTP against the gateway
// and the services' internal APIs, staff tokens signed like the gateway expects, payment
// callbacks signed like the provider does, and the demo's own files (ids and channel keys).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { DEV_STAFF_JWT_SECRET } from '../../apps/gateway/src/config/gateway.config';
import { DEV_PAYMENT_SECRET } from '../../apps/order/src/config/order.config';
import { signPayment } from '../../apps/order/src/payment/payment-signature';
import { serviceAuthHeadersForUrl } from '@omni/platform/testing';

/** Repository root. */
export const ROOT = resolve(__dirname, '..', '..');

/** Base URLs of the suite: OMNI_PORT_BASE as `npm run up` uses it, GATEWAY_URL to point elsewhere. */
export interface SuiteUrls {
  gateway: string;
  catalog: string;
  inventory: string;
  order: string;
  pricing: string;
  member: string;
  /** The delivery platform simulator `npm run up` starts for the O2O connector (local only). */
  deliveryPlatform: string;
}

export function suiteUrls(env: NodeJS.ProcessEnv = process.env): SuiteUrls {
  const base = Number(env.OMNI_PORT_BASE || 3000);
  const at = (offset: number) => `http://127.0.0.1:${base + offset}`;
  return {
    gateway: (env.GATEWAY_URL || at(0)).replace(/\/$/, ''),
    catalog: at(1),
    inventory: at(2),
    order: at(3),
    pricing: at(4),
    member: at(5),
    deliveryPlatform: at(7),
  };
}

/** A JSON answer. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Thrown when a service answers something other than what the caller expects. */
export class UnexpectedAnswer extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${request} answered ${status}: ${JSON.stringify(body).slice(0, 600)}`);
  }
}

/** Sends one JSON request; throws UnexpectedAnswer unless the status is one of `expect` (when given). */
export async function call<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string | undefined>; expect?: number[]; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  // A service's internal route needs a service credential (none is added for the gateway, the public entry).
  const headers: Record<string, string> = { accept: 'application/json', ...(await serviceAuthHeadersForUrl(url, { issuer: 'demo' })) };
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  if (options.expect && !options.expect.includes(res.status)) throw new UnexpectedAnswer(`${method} ${url}`, res.status, body);
  return { status: res.status, body: body as T };
}

/** A staff token for the gateway's back office, signed with STAFF_JWT_SECRET (the local default when unset). */
export function staffToken(roles: string[], staffId = 'demo-operator'): string {
  return new JwtService().sign(
    { roles },
    {
      secret: process.env.STAFF_JWT_SECRET || DEV_STAFF_JWT_SECRET,
      algorithm: 'HS256',
      issuer: process.env.STAFF_JWT_ISSUER || 'omni-staff',
      subject: staffId,
      expiresIn: 3600,
    },
  );
}

/** The payment provider's callback for an order, signed with ORDER_PAYMENT_SECRET (the local default when unset). */
export function paymentCallback(orderId: string, amount: { amount: number; currency: string }, paymentRef: string): { body: object; signature: string } {
  const paidAt = new Date().toISOString();
  const signature = signPayment(process.env.ORDER_PAYMENT_SECRET || DEV_PAYMENT_SECRET, {
    orderId,
    paymentRef,
    amount: amount.amount,
    currency: amount.currency,
    paidAt,
  });
  return { body: { orderId, paymentRef, amount, paidAt }, signature };
}

/** A demo channel key as kept on disk. */
export interface DemoKey {
  /** What the key is for, as printed. */
  label: string;
  channel: string;
  locationId: string | null;
  /** Shell variable the README uses, e.g. APP_KEY. */
  envName: string;
  key: string;
}

/** What the seed leaves for the scenario and the README: ids of the demo data and the channel keys. */
export interface DemoState {
  gatewayUrl: string;
  locations: { warehouse: string; storeA: string; storeB: string };
  owners: { retailer: string; consignor: string };
  /** Product id by SKU. */
  products: Record<string, string>;
  keys: DemoKey[];
}

/** Folder of the demo's files (git-ignored): OMNI_DEMO_DIR, default .cache/demo. */
export function demoDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(ROOT, env.OMNI_DEMO_DIR || join('.cache', 'demo'));
}

/** The state the last seed wrote, or undefined. */
export function readDemoState(dir = demoDir()): DemoState | undefined {
  const file = join(dir, 'demo.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoState) : undefined;
}

/** The demo keys kept from an earlier run (they are stored hashed by the gateway, so only this file has them). */
export function readDemoKeys(dir = demoDir()): DemoKey[] {
  const file = join(dir, 'api-keys.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoKey[]) : [];
}

/** Writes demo.json, api-keys.json and env.sh (shell exports the README's commands use). */
export function writeDemoState(state: DemoState, extraEnv: Record<string, string>, dir = demoDir()): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'demo.json'), `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(join(dir, 'api-keys.json'), `${JSON.stringify(state.keys, null, 2)}\n`, { mode: 0o600 });
  const exports = [
    '# Demo only: channel keys and ids of the local demo suite (written by tools/demo/seed.ts).',
    `export GW=${state.gatewayUrl}`,
    ...state.keys.map((k) => `export ${k.envName}=${k.key}`),
    ...Object.entries(extraEnv).map(([name, value]) => `export ${name}=${value}`),
  ];
  writeFileSync(join(dir, 'env.sh'), `${exports.join('\n')}\n`, { mode: 0o600 });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
