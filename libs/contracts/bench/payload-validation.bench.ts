// Payload validation micro-benchmark: validations per second of validatePayloadStrict (class-transformer
// and class-validator, what every consumer ran before) against validatePayload (the compiled JSON Schema
// fast path) for hot contracts, on valid payloads and on a rejected one. No infrastructure; CPU only.
// Run alone: `node -r @swc-node/register libs/contracts/bench/payload-validation.bench.ts [seconds per case]`.
import { performance } from 'node:perf_hooks';
import {
  EventContract,
  INVENTORY_BRANCH_REQUESTED,
  ORDER_CREATED,
  PayloadValidation,
  sampleEvents,
  STOCK_CHANGED,
  TCC_BRANCH_REPLIED,
  validatePayload,
  validatePayloadStrict,
} from '../src';

/** Options of the run. */
export interface PayloadValidationBenchOptions {
  /** Seconds each case runs after its warm-up (default 1). */
  seconds?: number;
}

/** One case: validations per second before (strict) and after (validatePayload), and the ratio. */
export interface PayloadValidationBenchCase {
  case: string;
  strictPerSecond: number;
  fastPerSecond: number;
  speedup: number;
}

type Validate = (contract: EventContract, raw: unknown) => PayloadValidation<object>;

// Distinct payloads (fresh ids and instants), parsed from JSON as a consumer has them.
const DISTINCT = 64;
const parsed = (build: () => object): object[] => Array.from({ length: DISTINCT }, () => JSON.parse(JSON.stringify(build())) as object);

const CASES: { name: string; contract: EventContract; payloads: object[]; ok: boolean }[] = [
  {
    name: 'tcc-branch-replied (failure with a reason)',
    contract: TCC_BRANCH_REPLIED as EventContract,
    payloads: parsed(() => sampleEvents.tccBranchReplied()),
    ok: true,
  },
  {
    name: 'tcc-branch-replied (success with detail)',
    contract: TCC_BRANCH_REPLIED as EventContract,
    payloads: parsed(() => sampleEvents.tccBranchReplied({ outcome: 'success', reasons: [], detail: { total: 13600, currency: 'CNY', quoteId: 'q-1' } })),
    ok: true,
  },
  {
    name: 'inventory-branch-requested (Try, one line)',
    contract: INVENTORY_BRANCH_REQUESTED as EventContract,
    payloads: parsed(() => sampleEvents.inventoryBranchRequested()),
    ok: true,
  },
  {
    name: 'inventory-branch-requested (Confirm, no lines)',
    contract: INVENTORY_BRANCH_REQUESTED as EventContract,
    payloads: parsed(() => sampleEvents.inventoryBranchRequested({ op: 'confirm', lines: undefined })),
    ok: true,
  },
  { name: 'stock-changed (two channels)', contract: STOCK_CHANGED as EventContract, payloads: parsed(() => sampleEvents.stockChanged()), ok: true },
  { name: 'order-created (one line)', contract: ORDER_CREATED as EventContract, payloads: parsed(() => sampleEvents.orderCreated()), ok: true },
  {
    name: 'order-created (rejected: negative quantity)',
    contract: ORDER_CREATED as EventContract,
    payloads: parsed(() => {
      const sample = sampleEvents.orderCreated();
      return { ...sample, lines: [{ ...sample.lines[0], quantity: -1 }] };
    }),
    ok: false,
  },
];

/** Validations per second of `validate` over the case's payloads for about `seconds`. */
function rate(validate: Validate, contract: EventContract, payloads: object[], ok: boolean, seconds: number): number {
  const round = (): void => {
    for (const raw of payloads) {
      if (validate(contract, raw).ok !== ok) throw new Error(`${contract.topic}: unexpected verdict`);
    }
  };
  const warmUpUntil = performance.now() + Math.min(300, seconds * 300);
  while (performance.now() < warmUpUntil) round();
  let done = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    round();
    done += payloads.length;
  }
  return Math.round(done / ((performance.now() - start) / 1000));
}

/** Runs every case, strict then fast. */
export function runPayloadValidationBench({ seconds = 1 }: PayloadValidationBenchOptions = {}): PayloadValidationBenchCase[] {
  return CASES.map(({ name, contract, payloads, ok }) => {
    const strictPerSecond = rate(validatePayloadStrict, contract, payloads, ok, seconds);
    const fastPerSecond = rate(validatePayload, contract, payloads, ok, seconds);
    return { case: name, strictPerSecond, fastPerSecond, speedup: Math.round((fastPerSecond / strictPerSecond) * 10) / 10 };
  });
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 1);
  const results = runPayloadValidationBench({ seconds });
  const width = Math.max(...results.map((result) => result.case.length));
  process.stdout.write(`${'case'.padEnd(width)}  strict/s    fast/s  speedup\n`);
  for (const result of results) {
    process.stdout.write(
      `${result.case.padEnd(width)}  ${String(result.strictPerSecond).padStart(8)}  ${String(result.fastPerSecond).padStart(8)}  ${String(result.speedup).padStart(6)}x\n`,
    );
  }
}
