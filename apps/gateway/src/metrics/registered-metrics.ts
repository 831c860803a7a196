import { Counter, Gauge, type Registry } from 'prom-client';

/** The counter `name` of `registry`, registered on first use (a second replica of a provider in one process shares it). */
export function registeredCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[] = []): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** The gauge `name` of `registry`, registered on first use; with `read`, set when Prometheus scrapes. */
export function registeredGauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[] = [], read?: (gauge: Gauge<L>) => void): Gauge<L> {
  return (
    (registry.getSingleMetric(name) as Gauge<L> | undefined) ??
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      ...(read
        ? {
            collect(this: Gauge<L>) {
              read(this);
            },
          }
        : {}),
    })
  );
}
