// The one executor interface lives in @omni/sql; messaging's API takes it, so it is re-exported here.
export type { SqlExecutor } from '@omni/sql';
