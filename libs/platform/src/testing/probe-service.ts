/** What a running service answers on its operational endpoints. */
export interface ServiceProbe {
  live: { status: number };
  ready: { status: number; body: ReadinessBody };
  metrics: { status: number; text: string };
}

/** The readiness body (terminus format). */
export interface ReadinessBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

/** Asks a running service for liveness, readiness and metrics; for boot tests. */
export async function probeService(baseUrl: string): Promise<ServiceProbe> {
  const live = await fetch(`${baseUrl}/health/live`);
  await live.arrayBuffer();
  const ready = await fetch(`${baseUrl}/health/ready`);
  const metrics = await fetch(`${baseUrl}/metrics`);
  return {
    live: { status: live.status },
    ready: { status: ready.status, body: (await ready.json()) as ReadinessBody },
    metrics: { status: metrics.status, text: await metrics.text() },
  };
}
