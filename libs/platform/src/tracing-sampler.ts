import { tracing } from '@opentelemetry/sdk-node';

/** The standard OTEL_TRACES_SAMPLER values this service accepts. */
export const TRACES_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

/** Share of root traces sampled when OTEL_TRACES_SAMPLER_ARG does not say (tests: all of them). */
export const DEFAULT_TRACES_RATIO = 0.1;

/**
 * The trace sampler from the standard environment variables. Without OTEL_TRACES_SAMPLER: parent
 * based, a root trace sampled at OTEL_TRACES_SAMPLER_ARG (default 0.1, and 1 when NODE_ENV=test),
 * a trace begun upstream sampled as the caller decided (its traceparent flag), so a trace is whole
 * or absent. An unsampled span records nothing and reaches no span processor or exporter; its
 * trace id still propagates and reaches the logs. With OTEL_TRACES_SAMPLER, the named standard
 * sampler (the ratio ones take OTEL_TRACES_SAMPLER_ARG, default 1, as the specification says). A
 * bad value throws an error naming the variable.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): tracing.Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || undefined;
  if (name !== undefined && !(TRACES_SAMPLERS as readonly string[]).includes(name)) {
    throw new Error(`OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}; got "${env.OTEL_TRACES_SAMPLER}"`);
  }
  const ratio = ratioFrom(env.OTEL_TRACES_SAMPLER_ARG, name === undefined ? (env.NODE_ENV === 'test' ? 1 : DEFAULT_TRACES_RATIO) : 1);
  switch (name ?? 'parentbased_traceidratio') {
    case 'always_on':
      return new tracing.AlwaysOnSampler();
    case 'always_off':
      return new tracing.AlwaysOffSampler();
    case 'traceidratio':
      return new tracing.TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new tracing.ParentBasedSampler({ root: new tracing.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new tracing.ParentBasedSampler({ root: new tracing.AlwaysOffSampler() });
    default:
      return new tracing.ParentBasedSampler({ root: new tracing.TraceIdRatioBasedSampler(ratio) });
  }
}

function ratioFrom(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; got "${raw}"`);
  return ratio;
}
