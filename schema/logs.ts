/**
 * Container logs searched in the clusters' log stores (Elasticsearch or OpenSearch): a filter, a
 * page of lines merged across clusters in time order, and a histogram of how many lines fell in
 * each interval. Where a cluster has no store, `Pod.logs` reads the API server's pods/log.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "./connection.js";
import { DataSource } from "./enums.js";
import { ClusterFilterFields } from "./filters.js";
import { ClusterOutcome } from "./outcome.js";
import { DateTime } from "./scalars.js";

export enum LogDirection {
  NEWEST_FIRST = "NEWEST_FIRST",
  OLDEST_FIRST = "OLDEST_FIRST",
}
registerEnumType(LogDirection, {
  name: "LogDirection",
  description: "The order of a page of log lines, events or audit entries.",
  valuesConfig: {
    NEWEST_FIRST: { description: "Latest first (the default)." },
    OLDEST_FIRST: { description: "Earliest first, as a log reads." },
  },
});

export enum LogSourceChoice {
  AUTO = "AUTO",
  LOG_STORE = "LOG_STORE",
  API_SERVER = "API_SERVER",
}
registerEnumType(LogSourceChoice, {
  name: "LogSourceChoice",
  description: "Where a pod's log lines are read from.",
  valuesConfig: {
    AUTO: { description: "The cluster's log store when it has one, else the API server (pods/log)." },
    LOG_STORE: { description: "Only the log store (history, keyword search, every container instance)." },
    API_SERVER: {
      description:
        "Only the API server's pods/log: what the node still keeps of the running (or previous) container.",
    },
  },
});

@InputType({ description: "A time range; both ends inclusive. Default: the last hour. At most 31 days." })
export class TimeRangeInput {
  @Field(() => DateTime, { nullable: true, description: "Default: an hour before `end`." })
  start?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Default: now." })
  end?: Date | null;
}

@InputType({ description: "What a log search matches. Every field narrows; an empty list matches nothing." })
export class LogFilter extends ClusterFilterFields {
  @Field(() => TimeRangeInput, {
    nullable: true,
    description: "When the lines were written; default the last hour.",
  })
  range?: TimeRangeInput | null;

  @Field(() => [String], { nullable: true, description: "Only namespaces of these workspaces." })
  workspaces?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Namespace names." })
  namespaces?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Workload ids (Deployment, StatefulSet, DaemonSet, Job, CronJob): lines of the pods their selector matches, past pods included.",
  })
  workloads?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Pod names." })
  pods?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Container names." })
  containers?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Each must appear in the line as a phrase (words in this order, case-insensitive); at most 16. Plain text: no query syntax.",
  })
  keywords?: string[] | null;
}

@InputType({ description: "What a pod's or workload's log search matches." })
export class ObjectLogFilter {
  @Field(() => TimeRangeInput, {
    nullable: true,
    description: "When the lines were written; default the last hour.",
  })
  range?: TimeRangeInput | null;

  @Field(() => [String], { nullable: true, description: "Container names." })
  containers?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Each must appear in the line as a phrase (case-insensitive); at most 16. Plain text: no query syntax.",
  })
  keywords?: string[] | null;
}

@ObjectType({ description: "One line a container wrote." })
export class LogEntry {
  @Field(() => DateTime, { description: "When the container wrote it (to the millisecond)." })
  time!: Date;

  @Field({ description: "The line, without its newline." })
  message!: string;

  @Field({ description: "The pod's namespace." })
  namespace!: string;

  @Field({ description: "The pod's name (the pod may be gone; see `pod`)." })
  podName!: string;

  @Field({ description: "The container's name." })
  container!: string;

  @Field(() => String, {
    nullable: true,
    description: "The node the pod ran on, when the store recorded it.",
  })
  node!: string | null;

  @Field(() => String, { nullable: true, description: "stdout or stderr, when known." })
  stream!: string | null;

  @Field(() => DataSource, { description: "LOG_STORE, or API_SERVER for a pods/log read." })
  source!: DataSource;
}

@ObjectType({
  simpleResolvers: true,
  description: "A page of log lines, merged across clusters in time order.",
})
export class LogEntryConnection extends Connection<LogEntry>("LogEntry", LogEntry, "the log lines") {}

@ObjectType({ simpleResolvers: true, description: "How many entries fell in one interval." })
export class HistogramBucket {
  @Field(() => DateTime, { description: "The interval's start." })
  time!: Date;

  @Field(() => Int, { description: "Entries in [time, time + interval)." })
  count!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "Counts per interval over a range, every interval present.",
})
export class Histogram {
  @Field({ description: 'The interval, e.g. "5m".' })
  interval!: string;

  @Field(() => [HistogramBucket], { description: "Oldest first; intervals without entries count 0." })
  buckets!: HistogramBucket[];

  @Field(() => Int, {
    description: "Entries in every bucket together (clusters whose store failed excluded).",
  })
  total!: number;

  @Field(() => [ClusterOutcome], { description: "One per cluster searched: its store, and any error." })
  outcomes!: ClusterOutcome[];
}
