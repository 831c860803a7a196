import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A channel API key as stored: only its hash, the channel (and store) it is bound to. */
@Entity({ name: 'channel_api_keys' })
export class ChannelApiKeyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  channel: string;

  @Column('uuid', { name: 'location_id', nullable: true })
  locationId: string | null;

  @Column('char', { name: 'key_hash', length: 64 })
  keyHash: string;

  @Column('text', { name: 'key_hint' })
  keyHint: string;

  @Column('integer', { name: 'rate_limit_per_minute', nullable: true })
  rateLimitPerMinute: number | null;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
