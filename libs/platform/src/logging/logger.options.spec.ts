import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTime } from 'pino-http';
import type { ServiceEnv } from '../config/service-env';
import { loggerParams, requestLogLevel } from './logger.options';

describe('requestLogLevel', () => {
  const info = { slowMs: 1000, loggerLevel: 'info' as const };

  it.each([
    ['a failure', 200, true, 5, 'error'],
    ['a 5xx', 503, false, 5, 'error'],
    ['a refused credential', 401, false, 5, 'warn'],
    ['a forbidden request', 403, false, 5, 'warn'],
    ['a 4xx', 404, false, 5, 'info'],
    ['a sold-out answer', 409, false, 5, 'info'],
    ['a shed request', 429, false, 5, 'info'],
    ['a slow 4xx', 409, false, 5000, 'info'],
    ['a success slower than the threshold', 200, false, 1001, 'info'],
    ['a success at the threshold', 201, false, 1000, 'silent'],
    ['a fast success', 200, false, 3, 'silent'],
  ] as const)('logs %s (status %i, failed %s, %i ms) at %s with the logger at info', (_what, status, failed, elapsedMs, level) => {
    expect(requestLogLevel(status, failed, elapsedMs, info)).toBe(level);
  });

  it('logs a fast success at debug when the logger runs at debug or trace', () => {
    expect(requestLogLevel(200, false, 3, { slowMs: 1000, loggerLevel: 'debug' })).toBe('debug');
    expect(requestLogLevel(200, false, 3, { slowMs: 1000, loggerLevel: 'trace' })).toBe('debug');
  });

  it('logs every success at info with a threshold of 0 ms once it took a millisecond', () => {
    expect(requestLogLevel(200, false, 1, { slowMs: 0, loggerLevel: 'info' })).toBe('info');
  });
});

describe('loggerParams: request logs', () => {
  const params = loggerParams('spec', { LOG_LEVEL: 'info', LOG_SLOW_REQUEST_MS: 250 } as ServiceEnv).pinoHttp as {
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => string;
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, responseTime: number) => string;
    customProps: (req: IncomingMessage, res: ServerResponse) => Record<string, unknown>;
  };
  const response = (statusCode: number, startedMsAgo: number) => ({ statusCode, [startTime]: Date.now() - startedMsAgo }) as unknown as ServerResponse;
  const request = { id: 'req-42' } as unknown as IncomingMessage;

  it('measures the time since pino-http saw the request against LOG_SLOW_REQUEST_MS', () => {
    expect(params.customLogLevel(request, response(200, 10))).toBe('silent');
    expect(params.customLogLevel(request, response(200, 400))).toBe('info');
    expect(params.customSuccessMessage(request, response(200, 400), 400)).toBe('slow request completed');
    expect(params.customLogLevel(request, response(404, 10))).toBe('info');
    expect(params.customLogLevel(request, response(401, 10))).toBe('warn');
    expect(params.customLogLevel(request, response(200, 10), new Error('boom'))).toBe('error');
  });

  it('keeps the request id on every request line it writes', () => {
    expect(params.customProps(request, response(500, 1))).toEqual({ request_id: 'req-42' });
  });
});
