/**
 * The query engine alone, in-process, at fleet scale: CLUSTERS x PODS pods built the way the
 * simulator shapes them (namespaces of components, each a ReplicaSet whose pods share one label
 * set; most replicas in backend tiers; most pods Running), then the dashboard's pods-query
 * (label selector + phase, first 50 by name, totalCount) and a few other shapes timed, and the
 * heap per pod weighed after full GCs: the entries and the stores' indexes before the first
 * query, and again once the queries have built what they build.
 *
 *   npx esbuild bench/measure/query-index.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=dist/query-index.mjs
 *   npx node --expose-gc dist/query-index.mjs [clusters] [podsPerCluster]
 */
import { performance } from "node:perf_hooks";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine, type ObjectFilter, type OrderBy, type PageArgs } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { KINDS, POD } from "../../src/kinds/index.js";
import { SeededRandom } from "../../sim/generator/random.js";

const CLUSTERS = Number(process.argv[2] ?? 100);
const PODS = Number(process.argv[3] ?? 10_000);
/** Only the shapes whose name contains this (all when not given). */
const ONLY = process.argv[4] ?? "";
const NAMESPACES = 20;
const PHASES = ["Pending", "Succeeded", "Failed"];
const TIERS = ["frontend", "data", "infra", "batch"];

function gc(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 4; i++) collect();
  return process.memoryUsage().heapUsed;
}

function build(index: FleetIndex): void {
  const seeded = new SeededRandom("query-index");
  const next = () => seeded.next();
  let serial = 0;
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = `cluster-${String(c).padStart(3, "0")}`;
    const store = index.store(cluster, "Pod");
    let left = PODS;
    let component = 0;
    while (left > 0) {
      const namespace = `team-${component % NAMESPACES}`;
      const name = `svc-${(component * 7919) % 1000}-${component}`;
      const hash = Math.floor(next() * 36 ** 8).toString(36);
      // Backend services hold most replicas, as in the simulator's catalog.
      const backend = next() < 0.6;
      const replicas = Math.min(left, backend ? 10 + Math.floor(next() * 150) : 1 + Math.floor(next() * 8));
      const labels = Object.freeze({
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": namespace,
        tier: backend ? "backend" : TIERS[component % TIERS.length]!,
        "pod-template-hash": hash,
      });
      const owner = { kind: "ReplicaSet", name: `${name}-${hash}`, uid: `${cluster}-rs-${component}` };
      for (let r = 0; r < replicas; r++) {
        serial++;
        const phase = next() < 0.93 ? "Running" : PHASES[Math.floor(next() * PHASES.length)]!;
        store.upsert({
          cluster,
          kind: "Pod",
          uid: `uid-${serial}`,
          namespace,
          name: `${name}-${hash}-${Math.floor(next() * 36 ** 5).toString(36)}`,
          created: 1_700_000_000_000 + Math.floor(next() * 1e9),
          resourceVersion: serial,
          labels,
          owner,
          data: { phase, nodeName: `${cluster}-node-${serial % 40}`, restarts: Math.floor(next() ** 4 * 20) },
        });
      }
      left -= replicas;
      component++;
    }
  }
}

const running = { phases: ["Running"] };
const restarts = POD.orderKeys!.RESTARTS as OrderBy["key"];

interface Shape {
  name: string;
  filter: ObjectFilter;
  order: OrderBy;
  scope: Scope;
  page?: PageArgs;
}

function shapes(): Shape[] {
  const phaseFilter = podFilter(running);
  return [
    {
      name: "pods-query: tier=backend + Running, first 50 by NAME",
      filter: { labelSelector: "tier=backend", ...phaseFilter },
      order: { field: "NAME", direction: "ASC" },
      scope: Scope.everything(),
    },
    {
      name: "tier=backend + Running, first 50 newest (CREATED DESC)",
      filter: { labelSelector: "tier=backend", ...phaseFilter },
      order: { field: "CREATED", direction: "DESC" },
      scope: Scope.everything(),
    },
    {
      name: "all pods, first 50 most restarts",
      filter: {},
      order: { field: "RESTARTS", direction: "DESC", key: restarts },
      scope: Scope.everything(),
    },
    {
      name: "tier=backend + Running by NAME, scope of 3 namespaces",
      filter: { labelSelector: "tier=backend", ...phaseFilter },
      order: { field: "NAME", direction: "ASC" },
      scope: Scope.of([{ cluster: "*", namespaces: ["team-1", "team-2", "team-3"] }]),
    },
    {
      name: "one app (selective), first 50 by NAME",
      filter: { labelSelector: "app.kubernetes.io/name=svc-919-1" },
      order: { field: "NAME", direction: "ASC" },
      scope: Scope.everything(),
    },
  ];
}

/** The engine filter the pods list makes of `phases` (the kind's own filter fields). */
function podFilter(fields: { phases: string[] }): ObjectFilter {
  const facets = (POD as { facetFilter?: (f: typeof fields) => ObjectFilter["facets"] }).facetFilter?.(
    fields,
  );
  if (facets) return { facets };
  const predicate = POD.predicate?.(fields, { workspaceLabel: "" });
  return predicate ? { predicate } : {};
}

/**
 * Wall time, and the process's CPU time (user + system, GC threads included): on a machine shared
 * with other work the CPU time is the steadier figure.
 */
function time(run: () => number, runs: number): { p50: number; p99: number; cpu50: number; total: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    total = run();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (list: number[], q: number) =>
    list.sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!;
  return { p50: at(times, 0.5), p99: at(times, 0.99), cpu50: at(cpu, 0.5), total };
}

const before = gc();
const index = new FleetIndex(KINDS);
const t0 = performance.now();
build(index);
const buildMs = performance.now() - t0;
const pods = CLUSTERS * PODS;
const built = gc();
const engine = new QueryEngine(index, { clusterLabels: () => ({}), isKnown: () => true });

/**
 * A status update (restarts) of 5,000 pods of one cluster, replayed: what a watch event costs the
 * store, in CPU time.
 */
function upsertMicros(cluster: string): string {
  const store = index.find(cluster, "Pod")!;
  const updates = [...store.all()].slice(0, 5000).map((e) => ({
    ...e,
    data: { ...(e.data as object), restarts: 1 + (e.data as { restarts: number }).restarts },
  }));
  const c = process.cpuUsage();
  for (const e of updates) store.upsert(e);
  const used = process.cpuUsage(c);
  return ((used.user + used.system) / updates.length).toFixed(1);
}
console.log(`upsert before any query: ${upsertMicros("cluster-000")} µs each`);
console.log(`${CLUSTERS} clusters x ${PODS} pods built in ${buildMs.toFixed(0)} ms`);
console.log(`heap per pod (entries + store indexes): ${((built - before) / pods).toFixed(0)} B`);
for (const s of shapes().filter((s) => s.name.includes(ONLY))) {
  const query = () => engine.query("Pod", s.filter, s.scope, s.order, s.page ?? { first: 50 }).totalCount;
  const t1 = performance.now();
  query();
  const first = performance.now() - t1;
  time(query, 3);
  const { p50, p99, cpu50, total } = time(query, 30);
  const count = time(() => engine.count("Pod", s.filter, s.scope), 30);
  console.log(
    `${s.name}: ${total} matches, first run ${first.toFixed(0)} ms, then p50 ${p50.toFixed(2)} ms, ` +
      `p99 ${p99.toFixed(2)} ms, CPU p50 ${cpu50.toFixed(2)} ms; count() alone p50 ${count.p50.toFixed(2)} ms`,
  );
}
const queried = gc();
console.log(`heap per pod after the queries: ${((queried - before) / pods).toFixed(0)} B`);
console.log(`upsert after the queries (sorted entries kept): ${upsertMicros("cluster-001")} µs each`);
