import type { Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";
import type { Metrics, MetricUnit } from "../../application/ports/metrics.ts";

/**
 * The cycle's metrics as CloudWatch embedded metric format lines through Powertools. A metric
 * with its own dimensions goes out as a single metric; the others are flushed by the handler.
 */
export class PowertoolsMetricsAdapter implements Metrics {
  readonly #metrics: PowertoolsMetrics;

  constructor(metrics: PowertoolsMetrics) {
    this.#metrics = metrics;
  }

  add(name: string, unit: MetricUnit, value: number, dimensions?: Readonly<Record<string, string>>): void {
    if (!dimensions) {
      this.#metrics.addMetric(name, unit, value);
      return;
    }
    const single = this.#metrics.singleMetric();
    single.addDimensions({ ...dimensions });
    single.addMetric(name, unit, value);
  }
}
