import { Context, ROOT_CONTEXT, TextMapPropagator, context, defaultTextMapGetter, defaultTextMapSetter, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const w3c = new W3CTraceContextPropagator();

/*
 * When the service registered a propagator (the platform's tracing does), use it; otherwise fall
 * back to W3C trace context locally. We do not register ours globally, because a global
 * registration made here would block the tracing SDK's own registration if it starts later.
 */
function propagator(): TextMapPropagator {
  return propagation.fields().length > 0 ? propagation : w3c;
}

/** `traceparent`/`tracestate` for the active (or given) context; empty when no span is active. */
export function injectTraceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator().inject(from, carrier, defaultTextMapSetter);
  return carrier;
}

/** The context carried by event headers, to run the handler in. */
export function extractTraceContext(headers: Record<string, string>): Context {
  return propagator().extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}
