import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { envInt, envList, FAULT_SPEC_PATTERN } from '@omni/platform';

/** Environment of the reservation participant, validated at start-up (a bad value stops the service naming it). */
export class ReservationConfig {
  /** Channels every stock-changed and ATP cache entry reports on, besides those with allocation rows. */
  @Transform(envList)
  @IsString({ each: true, message: 'must be a comma-separated list of channel codes' })
  INVENTORY_CHANNELS: string[] = [];

  /** How often the ATP reconciler compares Redis with Postgres (0 disables it). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 0 and 3600000' })
  @Min(0, { message: 'must be an integer number of milliseconds between 0 and 3600000' })
  @Max(3_600_000, { message: 'must be an integer number of milliseconds between 0 and 3600000' })
  ATP_RECONCILE_INTERVAL_MS = 5_000;

  /** How long this process may reuse a sold-out answer of the Redis gate (0 = ask Redis every time). */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 0 and 1000' })
  @Min(0, { message: 'must be an integer number of milliseconds between 0 and 1000' })
  @Max(1_000, { message: 'must be an integer number of milliseconds between 0 and 1000' })
  ATP_GATE_MEMO_MS = 20;

  /** Test-only fault injection: comma-separated points where the process SIGKILLs itself (see InventoryFaultPoint). */
  @IsOptional()
  @Matches(FAULT_SPEC_PATTERN, { message: 'must be a comma-separated list of point[:n]' })
  INVENTORY_FAULT_AT?: string;
}

/** Points where a test can make the inventory process kill itself (INVENTORY_FAULT_AT=point[:n],…). */
export type InventoryFaultPoint =
  /** While applying the n-th run of saga commands holding a Confirm and another command, after every command is applied, before it commits. */
  'command-run';

/** Reads and validates ReservationConfig from `env`; throws naming every bad variable. */
export function loadReservationConfig(env: NodeJS.ProcessEnv = process.env): ReservationConfig {
  const raw: Record<string, string> = {};
  for (const key of ['INVENTORY_CHANNELS', 'ATP_RECONCILE_INTERVAL_MS', 'ATP_GATE_MEMO_MS', 'INVENTORY_FAULT_AT']) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key]!;
  }
  const config = plainToInstance(ReservationConfig, raw);
  const errors = validateSync(config);
  if (errors.length > 0) {
    const details = errors.map((e) => `${e.property} ${Object.values(e.constraints ?? {})[0] ?? 'is invalid'}`);
    throw new Error(`invalid reservation configuration: ${details.join('; ')}`);
  }
  return config;
}
