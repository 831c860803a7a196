import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DomainError, DomainErrorType, SERVICE_CONFIG } from '@omni/platform';
import { DataSource, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ChannelPrincipal } from '../auth/principal';
import type { GatewayEnv } from '../config/gateway.config';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-key.dto';
import { ChannelApiKeyEntity } from './api-key.entity';
import { apiKeyHint, generateApiKey, hashApiKey, isPlausibleApiKey } from './api-key.secret';

/** Most verified keys remembered per replica; the oldest are dropped beyond this. */
const CACHE_LIMIT = 10_000;

/** Parsed DEV_API_KEYS entries. */
export function parseDevApiKeys(value: string | undefined): Array<{ channel: string; locationId: string | null; key: string }> {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [binding, key] = entry.split('=');
      const [channel, locationId] = binding.split('@');
      return { channel, locationId: locationId ? locationId.toLowerCase() : null, key };
    });
}

function toView(row: ChannelApiKeyEntity): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    locationId: row.locationId,
    keyHint: row.keyHint,
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}

/** Channel API keys: creation by staff, revocation, and verification of presented keys. */
@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache = new Map<string, { principal: ChannelPrincipal | null; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly env: GatewayEnv,
  ) {}

  /** Creates the development keys named in DEV_API_KEYS (config refuses them in production). */
  async onApplicationBootstrap(): Promise<void> {
    for (const seed of parseDevApiKeys(this.env.DEV_API_KEYS)) {
      await this.dataSource.query(
        `INSERT INTO channel_api_keys (id, name, channel, location_id, key_hash, key_hint, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'dev-seed') ON CONFLICT (key_hash) DO NOTHING`,
        [uuidv7(), `dev seed ${seed.channel}`, seed.channel, seed.locationId, hashApiKey(seed.key), apiKeyHint(seed.key)],
      );
      this.logger.log(`dev API key for channel ${seed.channel}${seed.locationId ? ` at ${seed.locationId}` : ''} is ready`);
    }
  }

  /** Creates a key; the returned secret is shown once and only its hash is kept. */
  async create(input: CreateApiKeyDto, createdBy: string): Promise<CreatedApiKeyView> {
    const key = generateApiKey();
    const row = this.dataSource.getRepository(ChannelApiKeyEntity).create({
      id: uuidv7(),
      name: input.name,
      channel: input.channel,
      locationId: input.locationId ?? null,
      keyHash: hashApiKey(key),
      keyHint: apiKeyHint(key),
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      createdBy,
      revokedAt: null,
    });
    const saved = await this.dataSource.getRepository(ChannelApiKeyEntity).save(row);
    return { ...toView(saved), key };
  }

  /** Keys, newest first, optionally of one channel. */
  async list(channel?: string): Promise<ApiKeyView[]> {
    const rows = await this.dataSource.getRepository(ChannelApiKeyEntity).find({
      where: channel ? { channel } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 1000,
    });
    return rows.map(toView);
  }

  /** Revokes a key; this replica stops accepting it at once, others within API_KEY_CACHE_TTL_MS. */
  async revoke(id: string): Promise<ApiKeyView> {
    const repo = this.dataSource.getRepository(ChannelApiKeyEntity);
    await repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    const row = await repo.findOneBy({ id });
    if (!row) throw new DomainError(DomainErrorType.NotFound, 'API_KEY_NOT_FOUND', `API key ${id} does not exist`);
    this.cache.delete(row.keyHash);
    return toView(row);
  }

  /** The principal a presented key stands for, or null when it is unknown or revoked. */
  async verify(presented: string): Promise<ChannelPrincipal | null> {
    if (!isPlausibleApiKey(presented)) return null;
    const hash = hashApiKey(presented);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const row = await this.dataSource.getRepository(ChannelApiKeyEntity).findOneBy({ keyHash: hash });
    const principal: ChannelPrincipal | null =
      row && !row.revokedAt
        ? { kind: 'channel', keyId: row.id, channel: row.channel, locationId: row.locationId, rateLimitPerMinute: row.rateLimitPerMinute }
        : null;
    if (this.env.API_KEY_CACHE_TTL_MS > 0) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { principal, until: now + this.env.API_KEY_CACHE_TTL_MS });
    }
    return principal;
  }
}
