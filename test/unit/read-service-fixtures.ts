/**
 * A small fake fleet for the read services and resolvers: the objects of read-service-objects.ts
 * from three clusters, projected into a real FleetIndex and read through a real QueryEngine; the
 * registry and fleet cache are a fake FleetView.
 */
import { ANONYMOUS } from "../../auth/subject.js";
import "reflect-metadata";
import { parse, validate, type ExecutionResult, type GraphQLSchema } from "graphql";
import { toEntry } from "../../src/cache/entry.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import {
  createReadServices,
  type ClusterFreshness,
  type ClusterHealth,
  type ClusterSync,
  type ClusterInfo,
  type FleetView,
  type ObjectReader,
  type ReadServices,
  type StrongReader,
} from "../../src/query-service/index.js";
import { KINDS, kindOf } from "../../src/kinds/index.js";
import { createRequestContext, type RequestContext } from "../../src/request/context.js";
import { CompiledOperations } from "../../src/http/compiled-execution.js";
import { buildFleetgraphSchema } from "../../src/server/schema.js";
import { CLUSTERS, clusterObjects, T0 } from "./read-service-objects.js";

export { CLUSTERS };

/** A FleetView whose freshness and health tests can change. */
export class FakeFleet implements FleetView {
  readonly freshnessOf = new Map<string, ClusterFreshness>();
  readonly healthOf = new Map<string, ClusterHealth>();
  /** One kind's cache of a cluster, by "cluster/Kind", where a test sets it apart from the cluster's. */
  readonly kindFreshnessOf = new Map<string, Partial<ClusterFreshness>>();
  /** A cluster's sync as a test sets it; without one, told from its freshness. */
  readonly syncOf = new Map<string, ClusterSync>();

  constructor(readonly infos: ClusterInfo[] = CLUSTERS) {
    for (const c of infos) {
      this.freshnessOf.set(c.name, {
        cluster: c.name,
        synced: true,
        staleSince: null,
        resourceVersion: "1000",
      });
      this.healthOf.set(c.name, {
        status: "READY",
        lastProbeAt: new Date(T0),
        latencyMs: 12,
        kubernetesVersion: "v1.32.1",
        lastError: null,
      });
    }
  }

  clusters(): readonly ClusterInfo[] {
    return this.infos;
  }

  freshness(cluster: string, kinds?: readonly string[]): ClusterFreshness {
    const whole = this.freshnessOf.get(cluster)!;
    const own = (kinds ?? []).map((k) => this.kindFreshnessOf.get(`${cluster}/${k}`)).filter((f) => f);
    if (own.length === 0) return whole;
    const unserved = own.flatMap((f) => f!.unserved ?? []);
    return {
      ...whole,
      synced: whole.synced && own.every((f) => f!.synced !== false),
      ...(unserved.length > 0 ? { unserved } : {}),
    };
  }

  health(cluster: string): ClusterHealth {
    return this.healthOf.get(cluster)!;
  }

  sync(cluster: string): ClusterSync {
    const set = this.syncOf.get(cluster);
    if (set) return set;
    const synced = this.freshnessOf.get(cluster)?.synced === true;
    return {
      state: synced ? "SYNCED" : "SYNCING",
      kindsSynced: synced ? 15 : 0,
      kinds: 15,
      listedObjects: 0,
      listedPages: 0,
      failure: null,
    };
  }
}

/** Counts the engine calls made through it, by method. */
export function countingReader(reader: ObjectReader): {
  reader: ObjectReader;
  calls: Map<string, number>;
  total(): number;
} {
  const calls = new Map<string, number>();
  const counted = <K extends keyof ObjectReader>(name: K): ObjectReader[K] =>
    ((...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (reader[name] as (...a: unknown[]) => unknown).apply(reader, args);
    }) as ObjectReader[K];
  return {
    reader: {
      query: counted("query"),
      get: counted("get"),
      getByName: counted("getByName"),
      count: counted("count"),
      forEach: counted("forEach"),
    },
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
  };
}

export interface TestGateway {
  index: FleetIndex;
  engine: QueryEngine;
  fleet: FakeFleet;
  services: ReadServices;
  counter: ReturnType<typeof countingReader>;
  schema: GraphQLSchema;
  /** Runs a query as `scope` (default: everything); returns the result and the request context. */
  run(
    source: string,
    variables?: Record<string, unknown>,
    scope?: Scope,
  ): Promise<ExecutionResult & { context: RequestContext }>;
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

export async function testGateway(
  options: { webReplicas?: number; strongReader?: StrongReader } = {},
): Promise<TestGateway> {
  const index = new FleetIndex(KINDS);
  const fleet = new FakeFleet();
  for (const c of CLUSTERS) {
    for (const [kind, o] of clusterObjects(c.name, options.webReplicas))
      index.store(c.name, kind).upsert(toEntry(c.name, kindOf(kind), o));
  }
  const engine = new QueryEngine(index, {
    clusterLabels: (name) => ({ ...CLUSTERS.find((c) => c.name === name)?.labels }),
    isKnown: (cluster) => CLUSTERS.some((c) => c.name === cluster),
  });
  const counter = countingReader(engine);
  const services = createReadServices({ reader: counter.reader, fleet, strongReader: options.strongReader });
  const schema = await (schemaPromise ??= buildFleetgraphSchema());
  // Executed as the gateway executes a repeated operation: compiled by graphql-jit at once
  // (src/http/compiled-execution.ts); the integration tests run first uses through graphql-js.
  const operations = new CompiledOperations(schema, { compileAfter: 0 });
  return {
    index,
    engine,
    fleet,
    services,
    counter,
    schema,
    async run(source, variables, scope = Scope.everything()) {
      const context = createRequestContext(services, ANONYMOUS, scope);
      const document = parse(source);
      const invalid = validate(schema, document);
      if (invalid.length) return { errors: invalid, context };
      const result = await operations.execute(document, undefined, context, variables);
      return { ...result, context };
    },
  };
}

/** The data of a result that must have no errors, as a client receives it (through JSON). */
export function dataOf<T = Record<string, unknown>>(result: ExecutionResult): T {
  if (result.errors?.length)
    throw new Error(`unexpected errors: ${result.errors.map((e) => e.message).join("; ")}`);
  return JSON.parse(JSON.stringify(result.data)) as T;
}

/** One cluster's part of a list, as a client receives it. */
export interface Outcome {
  clusterName: string;
  source: "CACHE" | "API_SERVER";
  synced: boolean;
  staleSince: string | null;
  resourceVersion: string;
  error: { code: string; message: string; retryable: boolean } | null;
}

/** A list query's connection, as a client receives it. */
export interface Connection<T = { name: string; clusterName: string }> {
  totalCount: number | null;
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  outcomes: Outcome[];
}

/** Every field of a ClusterOutcome but its cluster object. */
export const OUTCOME_FIELDS =
  "clusterName source synced staleSince resourceVersion error { code message retryable }";

/** Runs `{ field(args) { ...every connection field, nodes { selection } } }` and returns the connection. */
export async function listOf<T>(
  gw: TestGateway,
  field: string,
  args: string,
  selection: string,
): Promise<Connection<T>> {
  const source = `{ ${field}${args ? `(${args})` : ""} {
    totalCount nodes { ${selection} } edges { cursor node { ${selection} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    outcomes { ${OUTCOME_FIELDS} } } }`;
  return dataOf<Record<string, Connection<T>>>(await gw.run(source))[field]!;
}
