/**
 * Metrics in the schema, made from the catalog (src/backends/prometheus/catalog.ts): per level a
 * `<Level>Metric` enum naming what `metrics(names:)` may ask, and a `<Level>Usage` type with one
 * nullable field per metric — the instant numbers a table shows. Every value is nullable: a
 * Prometheus that is down nulls its numbers, never the list around them.
 */
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  CATALOG,
  LEVEL_TYPE_NAMES,
  type MetricLevel,
  type MetricUnit as CatalogUnit,
} from "../src/backends/prometheus/catalog.js";
import { DateTime, JSON } from "./scalars.js";

export const MetricUnit: Record<CatalogUnit, CatalogUnit> = {
  CORES: "CORES",
  BYTES: "BYTES",
  BYTES_PER_SECOND: "BYTES_PER_SECOND",
  RATIO: "RATIO",
  COUNT: "COUNT",
  LOAD: "LOAD",
};
registerEnumType(MetricUnit, {
  name: "MetricUnit",
  description: "What a metric's numbers count.",
  valuesConfig: {
    CORES: { description: "CPU cores (1 = one core busy all the time)." },
    BYTES: { description: "Bytes." },
    BYTES_PER_SECOND: { description: "Bytes per second." },
    RATIO: { description: "A fraction: 1 is all of it (may exceed 1, e.g. usage over requests)." },
    COUNT: { description: "A number of things or events." },
    LOAD: { description: "Load average: runnable and waiting tasks." },
  },
});

/** CPU_USAGE -> cpuUsage: the usage field of a metric. */
export function usageField(metric: string): string {
  return metric.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function metricEnum(level: MetricLevel): Record<string, string> {
  const values = Object.fromEntries(CATALOG[level].map((d) => [d.name, d.name]));
  registerEnumType(values, {
    name: `${LEVEL_TYPE_NAMES[level]}Metric`,
    description: `The metrics of a ${LEVEL_TYPE_NAMES[level]} (docs/metrics.md has their PromQL).`,
    valuesConfig: Object.fromEntries(
      CATALOG[level].map((d) => [d.name, { description: `${d.description} (${d.unit})` }]),
    ),
  });
  return values;
}

/** The usage type of a level: a class made at load time, one Float field per catalog metric. */
function usageType(level: MetricLevel): new () => object {
  const name = `${LEVEL_TYPE_NAMES[level]}Usage`;
  const type = { [name]: class {} }[name]!;
  for (const d of CATALOG[level])
    Field(() => Float, { nullable: true, description: d.description })(type.prototype, usageField(d.name));
  ObjectType(name, {
    description: `The ${LEVEL_TYPE_NAMES[level]}'s numbers now, from Prometheus; each null when there is no data or Prometheus failed.`,
  })(type);
  return type;
}

export const ClusterMetric = metricEnum("CLUSTER");
export const ClusterNodeMetric = metricEnum("NODE");
export const WorkspaceMetric = metricEnum("WORKSPACE");
export const NamespaceMetric = metricEnum("NAMESPACE");
export const WorkloadMetric = metricEnum("WORKLOAD");
export const PodMetric = metricEnum("POD");
export const ContainerMetric = metricEnum("CONTAINER");

export const USAGE_TYPES: Readonly<Record<MetricLevel, new () => object>> = {
  CLUSTER: usageType("CLUSTER"),
  NODE: usageType("NODE"),
  WORKSPACE: usageType("WORKSPACE"),
  NAMESPACE: usageType("NAMESPACE"),
  WORKLOAD: usageType("WORKLOAD"),
  POD: usageType("POD"),
  CONTAINER: usageType("CONTAINER"),
};

@InputType({
  description:
    "A time range for metric series: start and end are aligned to multiples of the step; at most 1,000 points and 15 days.",
})
export class MetricRange {
  @Field(() => DateTime, { description: "The first point (aligned down to a multiple of the step)." })
  start!: Date;

  @Field(() => DateTime, { nullable: true, description: "Default: now." })
  end?: Date | null;

  @Field(() => Int, { nullable: true, description: "Seconds between points; default: the range over 60." })
  step?: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One metric over a range: a value per step, null where a point is missing.",
})
export class MetricSeries {
  @Field({ description: "The metric's name, as asked." })
  metric!: string;

  @Field(() => MetricUnit, { description: "What the values count." })
  unit!: CatalogUnit;

  @Field(() => DateTime, { description: "The time of the first value." })
  start!: Date;

  @Field(() => Int, { description: "Seconds between values." })
  step!: number;

  @Field(() => [Float], {
    nullable: "items",
    description: "One value per step from `start`; null where no point.",
  })
  values!: (number | null)[];
}

@ObjectType({ simpleResolvers: true, description: "A raw PromQL answer, as Prometheus's HTTP API gives it." })
export class PromQueryResult {
  @Field({ description: "vector (an instant query) or matrix (a range)." })
  resultType!: string;

  @Field(() => JSON, {
    description:
      "The series: [{metric, value}] for a vector, [{metric, values: [[time, value]]}] for a matrix (times in Unix seconds).",
  })
  result!: unknown;
}
