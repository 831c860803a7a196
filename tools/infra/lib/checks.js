'use strict';
/**
 * Prerequisite checks. Each failure names what is missing and how to get it, so a new machine
 * can be set up by reading the messages alone.
 */
const { spawnSync } = require('node:child_process');

/** A missing or unusable prerequisite; `code` says which. */
class PrerequisiteError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'PrerequisiteError';
    this.code = code;
  }
}

/** Messages for every prerequisite; exported so they are tested and read the same everywhere. */
const messages = {
  javaMissing: () =>
    'Java 17+ not found on PATH (needed to run the local Kafka broker): apt-get install openjdk-17-jre-headless',
  javaTooOld: (major) =>
    `Java ${major} found but Kafka needs Java 17+: apt-get install openjdk-17-jre-headless and put it first on PATH`,
  mavenMissing: () =>
    'Maven not found on PATH (needed once to fetch the Kafka jars): apt-get install maven',
  mavenFailed: (detail) =>
    `Maven could not fetch the Kafka jars (is Maven Central reachable? is ~/.m2/settings.xml right?):\n${detail}`,
  postgresDown: (where, reason) =>
    `Postgres not answering on ${where} (${reason}). Start it: service postgresql start ` +
    '(install: apt-get install postgresql), or point OMNI_POSTGRES_URL at a running server ' +
    '(a role that may CREATE DATABASE).',
  redisDown: (where, reason) =>
    `Redis not answering on ${where} (${reason}). Start it: service redis-server start ` +
    '(install: apt-get install redis-server), or point OMNI_REDIS_URL at a running server.',
  kafkaPortTaken: (where, reason) =>
    `Something listens on ${where} but does not answer as a Kafka broker (${reason}). ` +
    'Stop it, or run the broker on other ports with OMNI_KAFKA_PORT/OMNI_KAFKA_CONTROLLER_PORT.',
  kafkaNotStarting: (where, seconds, logFile, tail) =>
    `Kafka did not answer on ${where} within ${seconds}s. See ${logFile}` + (tail ? `; last lines:\n${tail}` : ''),
  kafkaExited: (code, logFile, tail) =>
    `Kafka exited during start-up (${code}). See ${logFile}` + (tail ? `; last lines:\n${tail}` : ''),
};

/** The major version in `java -version` output: "17.0.15" -> 17, legacy "1.8.0_292" -> 8; null if unknown. */
function parseJavaMajor(versionOutput) {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!match) return null;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Fails unless `java` on PATH is version 17 or newer; returns the major version. */
function requireJava(run = spawnSync) {
  const result = run('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new PrerequisiteError('JAVA_MISSING', messages.javaMissing());
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === null || major < 17) throw new PrerequisiteError('JAVA_TOO_OLD', messages.javaTooOld(major ?? '?'));
  return major;
}

/** Fails unless `mvn` runs. */
function requireMaven(run = spawnSync) {
  const result = run('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new PrerequisiteError('MAVEN_MISSING', messages.mavenMissing());
}

/** "host:port" of a connection URL, for messages. */
function hostPort(url, defaultPort) {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** A short reason for a connection failure: the errno code when there is one. */
function reasonOf(error) {
  if (error && typeof error === 'object') {
    if (error.code) return String(error.code);
    if (Array.isArray(error.errors) && error.errors[0]?.code) return String(error.errors[0].code);
    if (error.message) return error.message;
  }
  return String(error);
}

module.exports = { PrerequisiteError, messages, parseJavaMajor, requireJava, requireMaven, hostPort, reasonOf };
