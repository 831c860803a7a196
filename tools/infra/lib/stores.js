'use strict';
/** Postgres and Redis: checks that they answer, and creates each service's database. */
const { Client } = require('pg');
const Redis = require('ioredis');
const { PrerequisiteError, messages, hostPort, reasonOf } = require('./checks');

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

async function connectPostgres(adminUrl) {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new PrerequisiteError('POSTGRES_DOWN', messages.postgresDown(hostPort(adminUrl, 5432), reasonOf(error)));
  }
  return client;
}

/** Creates every database in `names` that does not exist yet; returns which were created. */
async function ensureDatabases(adminUrl, names) {
  const client = await connectPostgres(adminUrl);
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    const existing = new Set(rows.map((row) => row.datname));
    const created = [];
    for (const name of names.filter((n) => !existing.has(n))) {
      try {
        // Names come from our own constant list (omni_[a-z_]+), so quoting is enough.
        await client.query(`CREATE DATABASE "${name}"`);
        created.push(name);
      } catch (error) {
        // Another run created it between our check and our CREATE: that is the state we want.
        if (error.code !== DUPLICATE_DATABASE && error.code !== UNIQUE_VIOLATION) throw error;
      }
    }
    return { created, existing: names.filter((n) => !created.includes(n)) };
  } finally {
    await client.end();
  }
}

/** Which of `names` exist; throws a PrerequisiteError when Postgres does not answer. */
async function listDatabases(adminUrl, names) {
  const client = await connectPostgres(adminUrl);
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/** PINGs Redis once, without retrying; throws a PrerequisiteError when it does not answer. */
async function pingRedis(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError = null;
  redis.on('error', (error) => {
    lastError = error; // carries the errno (ECONNREFUSED...) that the rejected connect() lacks
  });
  try {
    await redis.connect();
    const reply = await redis.ping();
    if (reply !== 'PONG') throw new Error(`unexpected reply ${reply}`);
  } catch (error) {
    throw new PrerequisiteError('REDIS_DOWN', messages.redisDown(hostPort(url, 6379), reasonOf(lastError ?? error)));
  } finally {
    redis.disconnect();
  }
}

module.exports = { ensureDatabases, listDatabases, pingRedis };
