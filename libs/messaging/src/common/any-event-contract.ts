import { EventContract } from '@omni/contracts';

/**
 * Any event contract, whatever its payload class. `EventContract<Foo>` is not assignable to
 * `EventContract<object>` (its `key` takes a Foo), so lists of contracts use this type.
 */
export type AnyEventContract = Omit<EventContract, 'key'> & { readonly key: (payload: never) => string };

/** Views a contract of unknown payload type as one over plain objects (validation decides the rest). */
export function asObjectContract(contract: AnyEventContract): EventContract {
  return contract as unknown as EventContract;
}
