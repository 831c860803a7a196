#!/usr/bin/env node
'use strict';
/** `node tools/infra/cli.js up|down|status`: the local infrastructure from a terminal. */
const infra = require('./infra');

const commands = { up: () => infra.up(), down: () => infra.down(), status: () => infra.status() };

async function main() {
  const name = process.argv[2];
  const command = commands[name];
  if (!command) {
    console.error('usage: node tools/infra/cli.js up|down|status');
    console.error('env: OMNI_KAFKA_PORT, OMNI_KAFKA_CONTROLLER_PORT, OMNI_INFRA_CACHE, OMNI_POSTGRES_URL, OMNI_REDIS_URL');
    process.exitCode = 2;
    return;
  }
  await command();
}

main().catch((error) => {
  // Prerequisite failures are explained in their message; anything else also gets its stack.
  console.error(`[infra] ${error instanceof infra.PrerequisiteError ? error.message : error.stack || error}`);
  process.exitCode = 1;
});
