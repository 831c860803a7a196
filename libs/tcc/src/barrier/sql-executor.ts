// The one executor interface lives in @omni/sql; the barrier and coordinator take it, so it is re-exported here.
export type { SqlExecutor } from '@omni/sql';
