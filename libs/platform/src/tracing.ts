/**
 * OpenTelemetry for a service process. Import it as the FIRST line of main.ts so the http,
 * express, pg and ioredis modules are patched before anything loads them. Every request has a
 * trace id (it reaches the logs and propagates over W3C traceparent); a share of traces is sampled
 * (recorded, and exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set): see
 * samplerFromEnv (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG; by default 10% of root traces,
 * parent based).
 */
import { W3CTraceContextPropagator, CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { registerShutdownTask } from './lifecycle/shutdown-tasks';
import { samplerFromEnv } from './tracing-sampler';

/** The service name: OTEL_SERVICE_NAME, else the app folder of the entry script (apps/<name>/...). */
export function detectServiceName(argv1 = process.argv[1] ?? '', env: NodeJS.ProcessEnv = process.env): string {
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  const match = /[\\/]apps[\\/]([^\\/]+)[\\/]/.exec(argv1);
  return match?.[1] ?? 'omni-service';
}

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
const ignoredPaths = ['/health/live', '/health/ready', '/metrics'];

const sdk = new NodeSDK({
  serviceName: detectServiceName(),
  sampler: samplerFromEnv(),
  textMapPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  ...(endpoint ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [new tracing.NoopSpanProcessor()] }),
  // Logs and metrics have their own paths (pino to stdout, Prometheus /metrics): no OTLP for them.
  logRecordProcessors: [],
  metricReaders: [],
  instrumentations: [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => ignoredPaths.some((p) => req.url?.startsWith(p) ?? false) }),
    // The route (http.route) and the handler's span stay; the middleware layers every request passes
    // (body parsers, request log, guards' plumbing) get no span of their own: a span each for a few
    // microseconds of work cost more than they tell.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ],
});

sdk.start();
registerShutdownTask('tracing', () => sdk.shutdown());
