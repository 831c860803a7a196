import { ServiceEnv } from '@omni/platform';

/** Environment of the o2o-connector service; add its own variables here (validated at start-up). */
export class O2oConnectorEnv extends ServiceEnv {}
