import { randomBytes } from 'node:crypto';

/** A short random lowercase id, safe in database names, topic names and Redis keys. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Topics of one jest run start with this; the global teardown deletes them. */
export function testRunTopicPrefix(): string {
  return `test-${process.env.OMNI_TEST_RUN ?? 'adhoc'}-`;
}

/** A topic prefix unique to one suite, so parallel suites never share a topic. */
export function uniqueTopicPrefix(suite: string): string {
  return `${uniqueId(`${testRunTopicPrefix()}${suite.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-`)}.`;
}
