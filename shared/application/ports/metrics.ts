export type MetricUnit = "Count" | "Milliseconds" | "None";

/** Where the cycle's figures go (CloudWatch through Powertools Metrics in Lambda). */
export interface Metrics {
  /** One data point; dimensions stay low in cardinality (timeframe, action, reason). */
  add(name: string, unit: MetricUnit, value: number, dimensions?: Readonly<Record<string, string>>): void;
}

export const noMetrics: Metrics = { add() {} };
