import Redis from 'ioredis';

/**
 * Redis view of ATP per SKU × channel, one hash per SKU: field `v` = the sku_version the values were
 * computed at, one field per channel = its ATP. Postgres stays the truth: values are only written
 * after a commit, only when their version is newer than what Redis holds, and the gate only ever
 * refuses. A missing key or channel field means "ask Postgres".
 */

/** What the gate says about a Try. */
export type GateVerdict =
  /** Every line's ATP is cached and at least one line cannot be met: refuse without Postgres. */
  | { verdict: 'refuse'; short: Array<{ sku: string; available: number }> }
  /** Every line looks satisfiable: Postgres decides. */
  | { verdict: 'pass' }
  /** A key or field is missing (flushed, evicted, never built): Postgres decides, then rebuilds. */
  | { verdict: 'miss'; skus: string[] };

/** ATP of one SKU at one version, as written to Redis. */
export interface AtpSnapshot {
  sku: string;
  version: number;
  channels: Array<{ channel: string; available: number }>;
}

// KEYS = one hash per SKU; ARGV = channel, then one quantity per key.
// Returns {0} pass, {1, i1, atp1, i2, atp2, ...} refuse (1-based key index and cached ATP), {2, i...} miss.
const GATE_LUA = `
local channel = ARGV[1]
local short = {}
local missing = {}
for i, key in ipairs(KEYS) do
  local atp = redis.call('HGET', key, channel)
  if not atp then
    missing[#missing + 1] = i
  elseif tonumber(atp) < tonumber(ARGV[i + 1]) then
    short[#short + 1] = i
    short[#short + 1] = tonumber(atp)
  end
end
if #missing > 0 then
  local out = {2}
  for _, i in ipairs(missing) do out[#out + 1] = i end
  return out
end
if #short > 0 then
  local out = {1}
  for _, x in ipairs(short) do out[#out + 1] = x end
  return out
end
return {0}
`;

// KEYS[1] = hash; ARGV = version, then channel/atp pairs. Replaces the hash only when strictly newer.
const SET_LUA = `
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], unpack(ARGV, 2))
return 1
`;

type AtpRedis = Redis & {
  omniAtpGate(...args: Array<string | number>): Promise<number[]>;
  omniAtpSet(key: string, ...args: Array<string | number>): Promise<number>;
};

/** Reads, gates and writes cached ATP. Keys are relative to the client's key prefix. */
export class AtpCache {
  private readonly redis: AtpRedis;
  /** Recent 'sold out' answers of Redis per SKU × channel: { ATP Redis reported, until when it may be reused }. */
  private readonly soldOut = new Map<string, { available: number; until: number }>();

  /**
   * @param refuseMemoMs how long a refusal read from Redis may be reused in this process without
   *   asking Redis again (0 = never). It is only ever a refusal, of data Redis held after a commit,
   *   and this process forgets it as soon as it writes newer ATP for the SKU; another replica's
   *   release is seen at most `refuseMemoMs` later.
   */
  constructor(redis: Redis, private readonly namespace = 'atp', private readonly refuseMemoMs = 0) {
    if (!(redis as unknown as Partial<AtpRedis>).omniAtpGate) {
      redis.defineCommand('omniAtpGate', { lua: GATE_LUA });
      redis.defineCommand('omniAtpSet', { numberOfKeys: 1, lua: SET_LUA });
    }
    this.redis = redis as AtpRedis;
  }

  /** The hash key of a SKU. */
  key(sku: string): string {
    return `${this.namespace}:{${sku}}`;
  }

  /** Checks whether `channel` can possibly get `quantityBySku`; atomic over all SKUs of the Try. */
  async gate(channel: string, quantityBySku: ReadonlyMap<string, number>): Promise<GateVerdict> {
    const skus = [...quantityBySku.keys()];
    if (this.refuseMemoMs > 0) {
      const now = Date.now();
      const short = skus.flatMap((sku) => {
        const memo = this.soldOut.get(`${sku}\u0000${channel}`);
        return memo && memo.until > now && memo.available < quantityBySku.get(sku)! ? [{ sku, available: memo.available }] : [];
      });
      if (short.length > 0) return { verdict: 'refuse', short };
    }
    const reply = await this.redis.omniAtpGate(skus.length, ...skus.map((s) => this.key(s)), channel, ...skus.map((s) => quantityBySku.get(s)!));
    if (reply[0] === 0) return { verdict: 'pass' };
    if (reply[0] === 2) return { verdict: 'miss', skus: reply.slice(1).map((i) => skus[i - 1]) };
    const short: Array<{ sku: string; available: number }> = [];
    for (let i = 1; i < reply.length; i += 2) short.push({ sku: skus[reply[i] - 1], available: reply[i + 1] });
    if (this.refuseMemoMs > 0) {
      if (this.soldOut.size > 10_000) this.soldOut.clear();
      const until = Date.now() + this.refuseMemoMs;
      for (const s of short) this.soldOut.set(`${s.sku}\u0000${channel}`, { available: s.available, until });
    }
    return { verdict: 'refuse', short };
  }

  /** Drops the cached ATP of `skus` (and this process' memo of them), so the next Try asks Postgres and rebuilds it. */
  async drop(skus: readonly string[]): Promise<void> {
    for (const sku of skus) for (const key of [...this.soldOut.keys()].filter((k) => k.startsWith(`${sku}\u0000`))) this.soldOut.delete(key);
    for (let i = 0; i < skus.length; i += 500) await this.redis.del(...skus.slice(i, i + 500).map((sku) => this.key(sku)));
  }

  /** Writes snapshots; each replaces what Redis holds only if its version is newer. Returns how many were applied. */
  async write(snapshots: readonly AtpSnapshot[]): Promise<number> {
    if (snapshots.length === 0) return 0;
    for (const s of snapshots) for (const key of [...this.soldOut.keys()].filter((k) => k.startsWith(`${s.sku}\u0000`))) this.soldOut.delete(key);
    const pipeline = this.redis.pipeline();
    for (const s of snapshots) {
      const pairs = s.channels.flatMap((c) => [c.channel, c.available]);
      (pipeline as unknown as { omniAtpSet(key: string, ...args: Array<string | number>): void }).omniAtpSet(this.key(s.sku), s.version, ...pairs);
    }
    const results = (await pipeline.exec()) ?? [];
    let applied = 0;
    for (const [error, value] of results) {
      if (error) throw error;
      if (value === 1) applied++;
    }
    return applied;
  }

  /** The cached ATP of a SKU, or null when Redis holds nothing for it. */
  async read(sku: string): Promise<AtpSnapshot | null> {
    const hash = await this.redis.hgetall(this.key(sku));
    if (!hash.v) return null;
    const channels = Object.entries(hash)
      .filter(([field]) => field !== 'v')
      .map(([channel, available]) => ({ channel, available: Number(available) }))
      .sort((a, b) => a.channel.localeCompare(b.channel));
    return { sku, version: Number(hash.v), channels };
  }

  /** Cached versions of `skus` (0 when absent), for the reconciler. */
  async versions(skus: readonly string[]): Promise<Map<string, number>> {
    if (skus.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const sku of skus) pipeline.hget(this.key(sku), 'v');
    const results = (await pipeline.exec()) ?? [];
    return new Map(skus.map((sku, i) => [sku, Number(results[i]?.[1] ?? 0)]));
  }
}
