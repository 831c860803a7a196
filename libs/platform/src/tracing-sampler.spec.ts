import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { DEFAULT_TRACES_RATIO, samplerFromEnv } from './tracing-sampler';

describe('samplerFromEnv', () => {
  it.each([
    ['nothing set', {}, `ParentBased{root=TraceIdRatioBased{${DEFAULT_TRACES_RATIO}}`],
    ['NODE_ENV=test', { NODE_ENV: 'test' }, 'ParentBased{root=TraceIdRatioBased{1}'],
    ['only a ratio', { OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'ParentBased{root=TraceIdRatioBased{0.25}'],
    ['parentbased_traceidratio without a ratio (the specification says 1)', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' }, 'ParentBased{root=TraceIdRatioBased{1}'],
    ['traceidratio with a ratio', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 'TraceIdRatioBased{0.5}'],
    ['always_on', { OTEL_TRACES_SAMPLER: 'always_on' }, 'AlwaysOnSampler'],
    ['always_off', { OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    ['parentbased_always_on', { OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, 'ParentBased{root=AlwaysOnSampler'],
    ['parentbased_always_off', { OTEL_TRACES_SAMPLER: 'PARENTBASED_ALWAYS_OFF' }, 'ParentBased{root=AlwaysOffSampler'],
  ])('%s', (_what, env, expected) => {
    expect(samplerFromEnv(env as NodeJS.ProcessEnv).toString()).toContain(expected);
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /OTEL_TRACES_SAMPLER must be one of/],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; got "1.5"/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => samplerFromEnv(env as NodeJS.ProcessEnv)).toThrow(message);
  });
});

describe('the default sampler at work', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const started: string[] = [];
  const provider = new tracing.BasicTracerProvider({
    sampler: samplerFromEnv({ OTEL_TRACES_SAMPLER_ARG: '0' }),
    spanProcessors: [
      { onStart: (span) => started.push(span.name), onEnd: () => undefined, forceFlush: async () => undefined, shutdown: async () => undefined },
      new tracing.SimpleSpanProcessor(exporter),
    ],
  });
  const tracer = provider.getTracer('spec');
  const parent = (flags: TraceFlags) =>
    trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: flags, isRemote: true });

  beforeEach(() => {
    exporter.reset();
    started.length = 0;
  });

  it('an unsampled root trace records nothing and reaches no span processor, yet has a trace id', () => {
    const span = tracer.startSpan('GET /internal/things');
    span.end();
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(started).toEqual([]);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('a trace the caller sampled is sampled here too, whatever the ratio (traces stay whole)', () => {
    tracer.startSpan('POST /orders', {}, parent(TraceFlags.SAMPLED)).end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['POST /orders']);
  });

  it('a trace the caller did not sample is not sampled here', () => {
    const span = tracer.startSpan('POST /orders', {}, parent(TraceFlags.NONE));
    span.end();
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
