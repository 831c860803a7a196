import type { ServiceAppOptions } from '@omni/platform';

/** How the gateway's app is created, in production (main.ts) and in tests alike. */
export const GATEWAY_APP_OPTIONS: ServiceAppOptions = {
  // Raw bodies are kept for the platforms' signed webhooks, relayed byte for byte (src/o2o).
  rawBody: true,
};
