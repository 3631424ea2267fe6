/**
 * Heap per cached object, by kind: the entries the gateway's caches would hold for one cluster,
 * made by the gateway's own `toEntry` from the same simulated fleet, weighed kind by kind.
 * Runs in a fresh process of its own with --expose-gc (argv[2] is a KindHeapSpec as JSON) and
 * prints one JSON result (KindHeapResult) on stdout.
 *
 * 1. Every cached kind (src/kinds KINDS, in that order) of the fleet's first 1 + `measuredClusters`
 *    clusters is listed over HTTPS with the kubeconfig's credentials, in pages of `pageSize` like
 *    the reflectors, and each page kept as a Buffer — outside the JavaScript heap, so the bodies
 *    weigh nothing in the figures. The connections are closed before anything is measured.
 * 2. The first cluster is projected kind by kind with empty interning pools (the first-cluster
 *    figures), then the next clusters together, kind by kind, with the pools holding what the
 *    first interned, as in a gateway serving many clusters (the headline figures; several clusters
 *    so that V8's own bookkeeping, a few hundred bytes per measurement, is spread over more
 *    objects). Per kind: full GCs and the heap used; each page decoded, JSON.parse'd and every item
 *    made into an entry with toEntry(cluster, kind, item), the entries kept in an array, the parsed
 *    pages dropped; full GCs and the heap used again. The difference is the entries' own heap (and
 *    the interned strings and shared shapes they added), plus 4 bytes per entry for the array slot. heapUsed leaves out V8's code and trusted spaces
 *    (compiled code, bytecode: compiling the projection is not a per-object cost, and bytecode
 *    flushing would make it negative). Nothing asynchronous runs while measuring.
 * 3. Every cluster of the fleet is counted per kind with a one-item list (items +
 *    remainingItemCount), so the harness can set the per-object figures against the fleet the
 *    gateway cached.
 *
 * The stores' indexes (by uid, name, namespace, owner, label set, node) are not counted here: the
 * sync scenario's overall heap per cached object includes them.
 */
import type { Agent } from "node:https";
import { request, type RequestOptions } from "node:https";
import { getHeapSpaceStatistics } from "node:v8";
import { KubeConfig } from "@kubernetes/client-node";
import { toEntry, type CacheEntry } from "../../src/cache/entry.js";
import { collectionPath, withQuery, type ResourcePath } from "../../src/fleet/resources.js";
import type { KubeObject } from "../../src/kube/object.js";
import { KINDS, type AnyKind } from "../../src/kinds/index.js";
import { round } from "../proc-stats.js";
import type { KindHeapFigures, KindHeapResult, KindHeapSpec } from "./kind-heap-spec.js";

interface ListBody {
  items?: unknown[] | null;
  metadata?: { continue?: string; remainingItemCount?: number };
}

/** One cluster's connection: its API server and the request options its kubeconfig context gives. */
class ClusterHttp {
  private constructor(
    readonly name: string,
    private readonly server: URL,
    private readonly options: RequestOptions,
  ) {}

  static async open(kubeconfig: string, context: string): Promise<ClusterHttp> {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig);
    config.setCurrentContext(context);
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error(`context ${context} names no cluster`);
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    return new ClusterHttp(cluster.name, new URL(cluster.server), options);
  }

  get(path: string): Promise<Buffer> {
    const url = new URL(path, this.server);
    return new Promise((resolve, reject) => {
      const req = request(url, { ...this.options, method: "GET" }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) resolve(body);
          else
            reject(new Error(`GET ${url.href} answered ${res.statusCode}: ${body.toString().slice(0, 300)}`));
        });
      });
      req.on("error", reject);
      req.end();
    });
  }

  async json(path: string): Promise<ListBody> {
    return JSON.parse((await this.get(path)).toString("utf8")) as ListBody;
  }

  /** Every page of a kind's list, as raw bodies. */
  async pages(resource: ResourcePath, limit: number): Promise<Buffer[]> {
    const pages: Buffer[] = [];
    let token: string | undefined;
    do {
      const page = await this.get(withQuery(collectionPath(resource), { limit, continue: token }));
      pages.push(page);
      // Only the continue token is read here; the page is parsed again when measured.
      token = (JSON.parse(page.toString("utf8")) as ListBody).metadata?.continue || undefined;
    } while (token !== undefined);
    return pages;
  }

  /** How many objects of a kind the cluster holds, from a one-item list. */
  async count(resource: ResourcePath): Promise<number> {
    const body = await this.json(withQuery(collectionPath(resource), { limit: 1 }));
    return (body.items?.length ?? 0) + (body.metadata?.remainingItemCount ?? 0);
  }

  close(): void {
    (this.options.agent as Agent | undefined)?.destroy();
  }
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * The heap's compiled code and bytecode (V8's code and trusted spaces): the first objects of a kind
 * make V8 compile its projection, and later collections may flush bytecode unused since; neither
 * is the entries' cost, and either would move a few-object kind's figure by kilobytes.
 */
const CODE_SPACE = /^(code|trusted)_/;

/** heapUsed after full collections, compiled code and bytecode left out. */
function heapAfterGc(): number {
  // Twice: the first collection's finalizers and weak cells can free more in a second one.
  gc?.();
  gc?.();
  let used = 0;
  for (const space of getHeapSpaceStatistics())
    if (!CODE_SPACE.test(space.space_name)) used += space.space_used_size;
  return used;
}

interface Weighed {
  objects: number;
  heap_bytes: number;
}

type Pages = Map<AnyKind, Buffer[]>;

interface Listed {
  name: string;
  pages: Pages;
}

/**
 * One kind's entries from the raw pages of some clusters, in an exact-length array (a growing
 * array's spare capacity is not the entries' cost). A function of its own so that the parsed
 * pages and their text, last held in this frame's registers, are unreachable once it returns.
 */
function project(kind: AnyKind, clusters: readonly Listed[]): CacheEntry[] {
  const entries: CacheEntry[] = [];
  for (const cluster of clusters)
    for (const body of cluster.pages.get(kind) ?? []) {
      const items = (JSON.parse(body.toString("utf8")) as ListBody).items ?? [];
      for (const item of items) entries.push(toEntry(cluster.name, kind, item as KubeObject));
    }
  return entries.slice();
}

/** Projects the clusters' pages kind by kind; `held` keeps every entry alive to the end. */
function weigh(clusters: readonly Listed[], held: CacheEntry[][]): Map<AnyKind, Weighed> {
  const out = new Map<AnyKind, Weighed>();
  for (const kind of KINDS) {
    const before = heapAfterGc();
    const entries = project(kind, clusters);
    held.push(entries);
    const after = heapAfterGc();
    out.set(kind, { objects: entries.length, heap_bytes: after - before });
  }
  return out;
}

const perObject = (w: Weighed): number | null => (w.objects > 0 ? round(w.heap_bytes / w.objects, 1) : null);

async function main(spec: KindHeapSpec): Promise<KindHeapResult> {
  if (typeof gc !== "function") throw new Error("kind-heap needs node --expose-gc");
  const config = new KubeConfig();
  config.loadFromFile(spec.kubeconfig);
  const contexts = config.getContexts().map((c) => c.name);
  if (contexts.length === 0) throw new Error(`${spec.kubeconfig} has no contexts`);
  const clusters = await Promise.all(contexts.map((c) => ClusterHttp.open(spec.kubeconfig, c)));

  const listStarted = performance.now();
  const list = async (c: ClusterHttp): Promise<Listed> => {
    const pages: Pages = new Map();
    for (const kind of KINDS) pages.set(kind, await c.pages(kind.path, spec.pageSize));
    return { name: c.name, pages };
  };
  const first = await list(clusters[0]!);
  const further: Listed[] = [];
  for (const c of clusters.slice(1, 1 + spec.measuredClusters)) further.push(await list(c));
  const counts = await Promise.all(
    clusters.map(async (c) => {
      const perKind: number[] = [];
      for (const kind of KINDS) perKind.push(await c.count(kind.path));
      return perKind;
    }),
  );
  const listMs = performance.now() - listStarted;
  for (const c of clusters) c.close();
  // Let the closed sockets' callbacks and finalizers run, until two readings agree within 1 KiB,
  // so the first kind weighed does not get the credit for the listing's late garbage.
  let settled = heapAfterGc();
  for (let round = 0; round < 20; round++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = heapAfterGc();
    if (Math.abs(now - settled) < 1024) break;
    settled = now;
  }

  const measureStarted = performance.now();
  const held: CacheEntry[][] = [];
  const cold = weigh([first], held);
  // A one-cluster fleet has no further cluster: its figures are the first cluster's.
  const warm = further.length > 0 ? weigh(further, held) : cold;
  const measureMs = performance.now() - measureStarted;

  const kinds: KindHeapFigures[] = KINDS.map((kind, i) => {
    const w = warm.get(kind)!;
    const c = cold.get(kind)!;
    return {
      kind: kind.kind,
      objects: w.objects,
      fleet_objects: counts.reduce((n, perKind) => n + perKind[i]!, 0),
      heap_bytes: w.heap_bytes,
      heap_bytes_per_object: perObject(w),
      first_cluster_heap_bytes: c.heap_bytes,
      first_cluster_heap_bytes_per_object: perObject(c),
    };
  });
  const objects = kinds.reduce((n, k) => n + k.objects, 0);
  const heapBytes = kinds.reduce((n, k) => n + k.heap_bytes, 0);
  // A kind the measured clusters lack but others hold is costed at the first cluster's figure.
  const estimate = kinds.reduce(
    (n, k) => n + k.fleet_objects * (k.heap_bytes_per_object ?? k.first_cluster_heap_bytes_per_object ?? 0),
    0,
  );
  // Keep the entries alive up to here.
  if (held.length === 0) throw new Error("nothing measured");
  return {
    clusters: (further.length > 0 ? further : [first]).map((c) => c.name),
    first_cluster: first.name,
    pools_warm: further.length > 0,
    kinds,
    objects,
    heap_bytes: heapBytes,
    heap_bytes_per_object: round(heapBytes / Math.max(1, objects), 1),
    fleet_objects: kinds.reduce((n, k) => n + k.fleet_objects, 0),
    fleet_entries_heap_bytes_estimate: Math.round(estimate),
    gc_forced: true,
    list_ms: round(listMs, 0),
    measure_ms: round(measureMs, 0),
  };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as KindHeapSpec;
const result = await main(spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
