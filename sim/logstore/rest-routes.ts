/**
 * The REST endpoints of the log store, routed as Elasticsearch routes them: a method and a path
 * of `/`, `/_name` system endpoints and `/{index}/_name/{id}` document endpoints. Each handler
 * returns a status and a JSON body (or none, for HEAD); errors are thrown as EsErrors.
 */
import { EsError, esErrors } from "./errors.js";
import type { LogIndex } from "./log-index.js";
import { resolveOptionsOf, type LogStore } from "./log-store.js";
import { SEARCH_PARAMS } from "./search.js";

type Json = Record<string, unknown>;

export interface RestRequest {
  method: string;
  /** Path segments, URL-decoded. */
  segments: string[];
  params: URLSearchParams;
  /** The raw body text ("" when none). */
  body: string;
  path: string;
}

export interface RestResponse {
  status: number;
  body?: Json | Json[] | string;
}

export const ES_VERSION = {
  number: "8.19.2",
  build_flavor: "default",
  build_type: "docker",
  build_hash: "fleetgraph-sim",
  build_date: "2025-08-01T00:00:00.000Z",
  build_snapshot: false,
  lucene_version: "9.12.2",
  minimum_wire_compatibility_version: "7.17.0",
  minimum_index_compatibility_version: "7.0.0",
};

export interface ClusterIdentity {
  name: string;
  clusterName: string;
  clusterUuid: string;
  /** Which server this store presents itself as (GET /). */
  product: "elasticsearch" | "opensearch";
}

/** What OpenSearch 2 answers to GET / (it forked from Elasticsearch 7.10, whose API it keeps). */
export const OPENSEARCH_VERSION = {
  distribution: "opensearch",
  number: "2.11.1",
  build_type: "tar",
  build_hash: "fleetgraph-sim",
  build_date: "2023-11-20T00:00:00.000Z",
  build_snapshot: false,
  lucene_version: "9.7.0",
  minimum_wire_compatibility_version: "7.10.0",
  minimum_index_compatibility_version: "7.0.0",
};

function json(text: string): Json {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw esErrors.xContentParse(`Unexpected character or end of input: ${message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw esErrors.parsing("request body must be a JSON object");
  }
  return value as Json;
}

function noHandler(req: RestRequest): EsError {
  return new EsError(400, "no_handler", `no handler found for uri [${req.path}] and method [${req.method}]`);
}

function wrongMethod(req: RestRequest, allowed: string[]): EsError {
  return new EsError(
    405,
    "method_not_allowed",
    `Incorrect HTTP method for uri [${req.path}] and method [${req.method}], allowed: [${allowed.join(", ")}]`,
    { headers: { Allow: allowed.join(",") } },
  );
}

function checkParams(req: RestRequest, allowed: Set<string>): void {
  for (const key of req.params.keys()) {
    if (!allowed.has(key)) {
      throw esErrors.illegalArgument(`request [${req.path}] contains unrecognized parameter: [${key}]`);
    }
  }
}

export function route(store: LogStore, identity: ClusterIdentity, req: RestRequest): RestResponse {
  const [first, second, third, ...rest] = req.segments;
  const m = req.method;
  if (rest.length > 0) throw noHandler(req);
  if (first === undefined) {
    if (m !== "GET" && m !== "HEAD") throw wrongMethod(req, ["GET", "HEAD"]);
    return {
      status: 200,
      body: {
        name: identity.name,
        cluster_name: identity.clusterName,
        cluster_uuid: identity.clusterUuid,
        ...(identity.product === "opensearch"
          ? { version: OPENSEARCH_VERSION, tagline: "The OpenSearch Project: https://opensearch.org/" }
          : { version: ES_VERSION, tagline: "You Know, for Search" }),
      },
    };
  }
  if (first.startsWith("_")) return system(store, identity, req, first, second, third);
  // /{index}[/_endpoint[/{id}]]
  const target = first;
  if (second === undefined) return indexRoot(store, req, target);
  switch (second) {
    case "_search":
      if (third !== undefined) throw noHandler(req);
      return searchRoute(store, req, target);
    case "_count":
      if (m !== "GET" && m !== "POST") throw wrongMethod(req, ["GET", "POST"]);
      return { status: 200, body: store.count(target, json(req.body), req.params) };
    case "_bulk":
      if (m !== "POST" && m !== "PUT") throw wrongMethod(req, ["POST", "PUT"]);
      return { status: 200, body: store.bulk(req.body, target) };
    case "_refresh":
      if (m !== "POST" && m !== "GET") throw wrongMethod(req, ["GET", "POST"]);
      return refresh(store.resolve(target, resolveOptionsOf(req.params)));
    case "_mapping":
      return mappingRoute(store, req, target);
    case "_settings":
      if (m !== "GET") throw wrongMethod(req, ["GET"]);
      return {
        status: 200,
        body: Object.fromEntries(
          store
            .resolve(target, resolveOptionsOf(req.params))
            .map((i) => [i.name, { settings: settingsJson(i) }]),
        ),
      };
    case "_doc":
      return docRoute(store, req, target, third);
    case "_create":
      if (third === undefined) throw noHandler(req);
      if (m !== "PUT" && m !== "POST") throw wrongMethod(req, ["POST", "PUT"]);
      return writeResponse(store.write(target, third, json(req.body), "create"));
    default:
      throw noHandler(req);
  }
}

function system(
  store: LogStore,
  identity: ClusterIdentity,
  req: RestRequest,
  first: string,
  second: string | undefined,
  third: string | undefined,
): RestResponse {
  const m = req.method;
  switch (first) {
    case "_search":
      return searchRoute(store, req, "_all");
    case "_count":
      return { status: 200, body: store.count("_all", json(req.body), req.params) };
    case "_bulk":
      if (m !== "POST" && m !== "PUT") throw wrongMethod(req, ["POST", "PUT"]);
      return { status: 200, body: store.bulk(req.body) };
    case "_refresh":
      return refresh(store.resolve("_all"));
    case "_mapping":
      return mappingRoute(store, req, "_all");
    case "_cat":
      if (second !== "indices") throw noHandler(req);
      return catIndices(store, req, third ?? "_all");
    case "_cluster":
      if (second !== "health") throw noHandler(req);
      return {
        status: 200,
        body: {
          cluster_name: identity.clusterName,
          status: "yellow",
          timed_out: false,
          number_of_nodes: 1,
          number_of_data_nodes: 1,
          active_primary_shards: store.indexNames().length,
          active_shards: store.indexNames().length,
          relocating_shards: 0,
          initializing_shards: 0,
          unassigned_shards: store.indexNames().length,
          delayed_unassigned_shards: 0,
          number_of_pending_tasks: 0,
          number_of_in_flight_fetch: 0,
          task_max_waiting_in_queue_millis: 0,
          active_shards_percent_as_number: store.indexNames().length ? 50 : 100,
        },
      };
    case "_index_template":
      if (m === "GET") return { status: 200, body: store.getTemplates(second) };
      if (second === undefined) throw noHandler(req);
      if (m === "PUT" || m === "POST") {
        store.putTemplate(second, json(req.body));
        return { status: 200, body: { acknowledged: true } };
      }
      if (m === "DELETE") {
        store.deleteTemplate(second);
        return { status: 200, body: { acknowledged: true } };
      }
      throw wrongMethod(req, ["GET", "PUT", "POST", "DELETE"]);
    case "_all":
      return indexRoot(store, req, "_all");
    default:
      throw noHandler(req);
  }
}

function searchRoute(store: LogStore, req: RestRequest, target: string): RestResponse {
  if (req.method !== "GET" && req.method !== "POST") throw wrongMethod(req, ["GET", "POST"]);
  checkParams(req, SEARCH_PARAMS);
  return { status: 200, body: store.search(target, json(req.body), req.params) };
}

function indexRoot(store: LogStore, req: RestRequest, target: string): RestResponse {
  switch (req.method) {
    case "PUT":
      store.createIndex(target, json(req.body));
      return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: target } };
    case "HEAD": {
      try {
        const found = store.resolve(target, resolveOptionsOf(req.params));
        return { status: found.length ? 200 : 404 };
      } catch {
        return { status: 404 };
      }
    }
    case "GET":
      return {
        status: 200,
        body: Object.fromEntries(
          store
            .resolve(target, resolveOptionsOf(req.params))
            .map((i) => [i.name, { aliases: {}, mappings: i.mapping.toJSON(), settings: settingsJson(i) }]),
        ),
      };
    case "DELETE":
      store.deleteIndices(target, resolveOptionsOf(req.params));
      return { status: 200, body: { acknowledged: true } };
    default:
      throw wrongMethod(req, ["GET", "HEAD", "PUT", "DELETE"]);
  }
}

function mappingRoute(store: LogStore, req: RestRequest, target: string): RestResponse {
  const indices = store.resolve(target, resolveOptionsOf(req.params));
  if (req.method === "GET") {
    return {
      status: 200,
      body: Object.fromEntries(indices.map((i) => [i.name, { mappings: i.mapping.toJSON() }])),
    };
  }
  if (req.method === "PUT" || req.method === "POST") {
    const body = json(req.body);
    for (const index of indices) index.mapping.merge(body);
    return { status: 200, body: { acknowledged: true } };
  }
  throw wrongMethod(req, ["GET", "PUT", "POST"]);
}

function docRoute(store: LogStore, req: RestRequest, index: string, id: string | undefined): RestResponse {
  const m = req.method;
  if (id === undefined) {
    if (m !== "POST") throw wrongMethod(req, ["POST"]);
    return writeResponse(store.write(index, undefined, json(req.body), "index"));
  }
  switch (m) {
    case "PUT":
    case "POST": {
      const opType = req.params.get("op_type") === "create" ? "create" : "index";
      return writeResponse(store.write(index, id, json(req.body), opType));
    }
    case "GET":
    case "HEAD": {
      const result = store.getDocument(index, id);
      return m === "HEAD" ? { status: result.status } : result;
    }
    case "DELETE":
      return store.deleteDocument(index, id);
    default:
      throw wrongMethod(req, ["GET", "HEAD", "PUT", "POST", "DELETE"]);
  }
}

function writeResponse(result: { status: number; body: Json }): RestResponse {
  return result;
}

function refresh(indices: LogIndex[]): RestResponse {
  // Documents are searchable as soon as they are written: refresh has nothing to do.
  const n = indices.length;
  return { status: 200, body: { _shards: { total: n * 2, successful: n, failed: 0 } } };
}

function settingsJson(index: LogIndex): Json {
  return {
    index: {
      ...Object.fromEntries(
        Object.entries(index.settings.other).map(([k, v]) => [k.replace(/^index\./, ""), v]),
      ),
      creation_date: String(index.createdAt),
      number_of_shards: "1",
      number_of_replicas: "1",
      uuid: index.uuid,
      version: { created: "8521000" },
      provided_name: index.name,
      ...(index.settings.maxResultWindow !== 10_000
        ? { max_result_window: String(index.settings.maxResultWindow) }
        : {}),
      ...(index.settings.maxTermsCount !== 65_536
        ? { max_terms_count: String(index.settings.maxTermsCount) }
        : {}),
    },
  };
}

function catIndices(store: LogStore, req: RestRequest, target: string): RestResponse {
  const rows = store
    .resolve(target, { ...resolveOptionsOf(req.params), ignoreUnavailable: false })
    .map((i) => {
      const size = formatBytes(i.storeBytes);
      return {
        health: "yellow",
        status: "open",
        index: i.name,
        uuid: i.uuid,
        pri: "1",
        rep: "1",
        "docs.count": String(i.docCount),
        "docs.deleted": String(i.deletedCount),
        "store.size": size,
        "pri.store.size": size,
        "dataset.size": size,
      };
    });
  if (req.params.get("format") === "json") return { status: 200, body: rows };
  const text = rows.map((r) => Object.values(r).join(" ")).join("\n");
  return { status: 200, body: text ? `${text}\n` : "" };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n}b`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}kb`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)}mb`;
  return `${(n / 1024 ** 3).toFixed(1)}gb`;
}
