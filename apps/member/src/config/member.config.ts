import { ServiceEnv } from '@omni/platform';

/** Environment of the member service; add its own variables here (validated at start-up). */
export class MemberEnv extends ServiceEnv {}
