/** Types of tools/dev/replicas.js (plain CommonJS so tools/dev/up.mjs runs it without a TypeScript toolchain). */
import type { Server } from 'node:net';

/** Most replicas of one service. */
export const MAX_REPLICAS: number;
/** A bad --replicas / OMNI_REPLICAS value; the message names the part that is wrong. */
export class ReplicasError extends Error {}
/** Parses `order=2,inventory=2` into service → replica count for the given services (others keep 1). */
export function parseReplicas(spec: string | undefined, services: readonly string[]): Map<string, number>;
/** The replicas spec from the command line (`--replicas X` / `--replicas=X`), else OMNI_REPLICAS. */
export function replicasSpec(argv: readonly string[], env: Record<string, string | undefined>): string | undefined;
/** The ports of a service's replicas: its usual port alone, or usual + 10·k for k = 1…count. */
export function replicaPorts(usualPort: number, count: number): number[];
/** The name (and log file stem) of replica k (0-based) of `count`. */
export function replicaName(app: string, k: number, count: number): string;
/** A TCP round-robin balancer on `port` in front of the replica ports `targets`. */
export function startBalancer(port: number, targets: readonly number[], host?: string): Promise<Server>;
