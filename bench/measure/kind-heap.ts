/**
 * Heap per cached object, by kind: the entries the gateway's caches hold, made by the gateway's
 * own `toEntry` from the simulated fleet's lists, weighed kind by kind. Runs in a fresh process of
 * its own with --expose-gc (argv[2] is a KindHeapSpec as JSON) and prints one JSON result
 * (KindHeapResult) on stdout.
 *
 * 1. Lists over HTTPS with the kubeconfig's credentials, in pages of `pageSize` like the
 *    reflectors, keeping each page as a Buffer — outside the JavaScript heap, so the bodies weigh
 *    nothing in the figures: every cached kind (src/kinds KINDS and RBAC_KINDS) of the fleet's first cluster, and
 *    of each kind the next clusters' objects until it has `minObjects` of them from at least
 *    `minClusters` clusters, or every cluster's (pods come from two clusters, a kind with a few
 *    objects per cluster from all of them). The connections are closed before anything is weighed.
 * 2. Weighs the first cluster kind by kind with empty interning pools (first_cluster_*), then each
 *    kind's further clusters with the pools holding what the first interned, as in a gateway
 *    serving many clusters (the headline figures). Per kind: full GCs and the heap used; each page
 *    decoded, JSON.parse'd and every item made into an entry with toEntry(cluster, kind, item), the
 *    entries kept in an array, the parsed pages dropped; full GCs and the heap used again. The
 *    difference is the entries' own heap (and the interned strings and shared shapes they added),
 *    plus 4 bytes per entry for the array slot. The heap used leaves out V8's code and trusted
 *    spaces (compiled code, bytecode: compiling the projection is not a per-object cost, and
 *    bytecode flushing would make it negative). Nothing asynchronous runs while weighing. V8's
 *    own bookkeeping still lands on whichever kind is being weighed (a few kilobytes at most, e.g.
 *    the interning pools' concatenated keys flattened late): hence the object counts above.
 * 3. Counts every cluster of the fleet per kind with a one-item list (items + remainingItemCount),
 *    so the harness can set the per-object figures against the fleet the gateway cached.
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
import type { CachedKindSpec } from "../../src/cache/kind-spec.js";
import { KINDS, RBAC_KINDS } from "../../src/kinds/index.js";

/** Every kind the gateway caches: the schema's and the RBAC kinds access is computed from. */
const CACHED: readonly CachedKindSpec[] = [...KINDS, ...RBAC_KINDS];
import { round } from "../proc-stats.js";
import {
  kindFigures,
  kindTotals,
  type KindHeapFigures,
  type KindHeapResult,
  type KindHeapSpec,
} from "./kind-heap-spec.js";

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

  /** Every page of a kind's list, as raw bodies, and how many objects they hold. */
  async pages(resource: ResourcePath, limit: number): Promise<{ pages: Buffer[]; objects: number }> {
    const pages: Buffer[] = [];
    let objects = 0;
    let token: string | undefined;
    do {
      const page = await this.get(withQuery(collectionPath(resource), { limit, continue: token }));
      pages.push(page);
      // Only the count and the continue token are read here; the page is parsed again when weighed.
      const body = JSON.parse(page.toString("utf8")) as ListBody;
      objects += body.items?.length ?? 0;
      token = body.metadata?.continue || undefined;
    } while (token !== undefined);
    return { pages, objects };
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

/** One kind's raw pages from some clusters. */
interface Listed {
  kind: CachedKindSpec;
  clusters: { name: string; pages: Buffer[] }[];
}

/**
 * One kind's entries from its raw pages, in an exact-length array (a growing array's spare
 * capacity is not the entries' cost). A function of its own so that the parsed pages and their
 * text, last held in this frame's registers, are unreachable once it returns.
 */
function project(listed: Listed): CacheEntry[] {
  const entries: CacheEntry[] = [];
  for (const cluster of listed.clusters)
    for (const body of cluster.pages) {
      const items = (JSON.parse(body.toString("utf8")) as ListBody).items ?? [];
      for (const item of items) entries.push(toEntry(cluster.name, listed.kind, item as KubeObject));
    }
  return entries.slice();
}

/** Weighs the kinds one by one; `held` keeps every entry alive to the end. */
function weigh(kinds: readonly Listed[], held: CacheEntry[][]): Weighed[] {
  return kinds.map((listed) => {
    const before = heapAfterGc();
    const entries = project(listed);
    held.push(entries);
    const after = heapAfterGc();
    return { objects: entries.length, heap_bytes: after - before };
  });
}

async function main(spec: KindHeapSpec): Promise<KindHeapResult> {
  if (typeof gc !== "function") throw new Error("kind-heap needs node --expose-gc");
  const config = new KubeConfig();
  config.loadFromFile(spec.kubeconfig);
  const contexts = config.getContexts().map((c) => c.name);
  if (contexts.length === 0) throw new Error(`${spec.kubeconfig} has no contexts`);
  const clusters = await Promise.all(contexts.map((c) => ClusterHttp.open(spec.kubeconfig, c)));
  const [first, ...rest] = clusters as [ClusterHttp, ...ClusterHttp[]];

  const listStarted = performance.now();
  const cold: Listed[] = [];
  for (const kind of CACHED)
    cold.push({
      kind,
      clusters: [{ name: first.name, pages: (await first.pages(kind.path, spec.pageSize)).pages }],
    });
  const warm = await Promise.all(
    CACHED.map(async (kind): Promise<Listed> => {
      const listed: Listed = { kind, clusters: [] };
      let objects = 0;
      for (const c of rest) {
        if (objects >= spec.minObjects && listed.clusters.length >= spec.minClusters) break;
        const { pages, objects: n } = await c.pages(kind.path, spec.pageSize);
        listed.clusters.push({ name: c.name, pages });
        objects += n;
      }
      return listed;
    }),
  );
  const counts = await Promise.all(
    clusters.map(async (c) => {
      const perKind: number[] = [];
      for (const kind of CACHED) perKind.push(await c.count(kind.path));
      return perKind;
    }),
  );
  const listMs = performance.now() - listStarted;
  for (const c of clusters) c.close();
  // Let the closed sockets' callbacks and finalizers run, until two readings agree within 1 KiB,
  // so the first kind weighed does not get the credit for the listing's late garbage.
  let settled = heapAfterGc();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = heapAfterGc();
    if (Math.abs(now - settled) < 1024) break;
    settled = now;
  }

  const measureStarted = performance.now();
  const held: CacheEntry[][] = [];
  const coldWeighed = weigh(cold, held);
  // A one-cluster fleet has no further cluster: its figures are the first cluster's.
  const warmWeighed = rest.length > 0 ? weigh(warm, held) : coldWeighed;
  const measureMs = performance.now() - measureStarted;

  const kinds: KindHeapFigures[] = CACHED.map((kind, i) => {
    const w = warmWeighed[i]!;
    const c = coldWeighed[i]!;
    const fleetObjects = counts.reduce((n, perKind) => n + perKind[i]!, 0);
    return {
      ...kindFigures(kind.kind, w.objects, fleetObjects, w.heap_bytes, c.objects, c.heap_bytes),
      clusters: rest.length > 0 ? warm[i]!.clusters.length : 1,
    };
  });
  // Keep the entries alive up to here.
  if (held.length === 0) throw new Error("nothing measured");
  return {
    first_cluster: first.name,
    pools_warm: rest.length > 0,
    further_clusters: rest.length,
    kinds,
    ...kindTotals(kinds),
    gc_forced: true,
    list_ms: round(listMs, 0),
    measure_ms: round(measureMs, 0),
  };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as KindHeapSpec;
const result = await main(spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
