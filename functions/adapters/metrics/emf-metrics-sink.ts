import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MetricsSink } from "../../app/ports";
import { dimensionSetsOf, METRICS_NAMESPACE, type MetricDatum } from "../../domain/metrics";

/** What the sink warns through (the shared Powertools logger in the runtime). */
export interface WarningLog {
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

const UNITS = { Count: MetricUnit.Count, None: MetricUnit.NoUnit } as const;

/**
 * Powertools' own warnings, routed to our log. Its timestamp-window warning is expected only on the
 * embedded target, whose simulated clock runs outside CloudWatch's window on purpose: it is dropped.
 */
const powertoolsLogger = (log?: WarningLog) => {
  const quiet = () => undefined;
  return {
    debug: quiet,
    info: quiet,
    warn: (message: unknown) => {
      const text = String(message);
      if (text.includes("timestamp is within 14 days")) return;
      log?.warn(`powertools metrics: ${text}`);
    },
    error: (message: unknown) => log?.warn(`powertools metrics: ${String(message)}`),
  };
};

/**
 * The metrics port on Powertools Metrics: each data point is printed as one CloudWatch EMF line per
 * dimension set, through `singleMetric()`, so every line carries exactly its own dimensions (no
 * `service` default dimension) and the event's timestamp, and nothing waits for a flush.
 */
export class EmfMetricsSink implements MetricsSink {
  private readonly root: Metrics;

  constructor(log?: WarningLog, namespace: string = METRICS_NAMESPACE) {
    this.root = new Metrics({ namespace, logger: powertoolsLogger(log) });
  }

  emit(data: readonly MetricDatum[]): void {
    for (const datum of data) this.publish(datum);
  }

  private publish(datum: MetricDatum): void {
    for (const dimensions of dimensionSetsOf(datum)) {
      const single = this.root.singleMetric();
      single.clearDefaultDimensions();
      single.addDimensions(dimensions);
      // The event's own time: on AWS the clock is the wall clock; locally it may be simulated.
      single.setTimestamp(Date.parse(datum.at));
      single.addMetric(datum.name, UNITS[datum.unit], datum.value);
    }
  }
}
