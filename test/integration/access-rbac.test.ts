/**
 * The cluster-RBAC evaluator against a simulated cluster's real RBAC: for each demo user, what
 * the evaluator computes from the gateway's cached RBAC objects must equal what the API server
 * answers `kubectl auth can-i` (impersonating the user with the admin credentials), for every
 * cached kind; and a RoleBinding created with kubectl must change the computed Scope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessEvaluator } from "../../auth/access/access-evaluator.js";
import { FleetRbac, rbacSyncedIn } from "../../auth/access/cluster-rbac/fleet-rbac.js";
import { resourceOf } from "../../auth/access/resource-request.js";
import type { GatewayRoleBinding } from "../../auth/access/roles.js";
import type { Subject } from "../../auth/subject.js";
import { FleetCache } from "../../src/cache/fleet-cache.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { isClusterScoped } from "../../src/cache/kind-spec.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { configFromKubeconfig } from "../../src/config/index.js";
import { FleetRegistry } from "../../src/fleet/registry.js";
import { KINDS, RBAC_KINDS, type AnyKind } from "../../src/kinds/index.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

const USERS = ["admin", "alice", "bob", "carol", "mallory"];
const WORKSPACE_LABEL = "kubesphere.io/workspace";

let sim: SimFleet;
let registry: FleetRegistry;
let index: FleetIndex;
let cache: FleetCache;
let rbac: FleetRbac;
let cluster: string;
let namespaces: string[];

beforeAll(async () => {
  sim = await startFleet({ clusters: 1, nodes: 1, pods: 20, seed: "access-rbac" });
  cluster = sim.clusters[0]!.name;
  registry = new FleetRegistry(configFromKubeconfig(sim.kubeconfigPath).clusters, {});
  const kinds = [...KINDS, ...RBAC_KINDS];
  index = new FleetIndex(kinds);
  cache = new FleetCache(registry, index, { kinds, cache: { backoff: { initialMs: 50, maxMs: 500 } } });
  cache.start();
  const report = await cache.whenSynced(20_000);
  if (!report.complete) throw new Error(`fleet did not sync: ${report.pending.join(", ")}`);
  rbac = new FleetRbac({ index, rbacSynced: rbacSyncedIn(cache) });
  // A namespace of bob's, one of alice's workspace, one of neither.
  const all = [...(index.find(cluster, "Namespace")?.all() ?? [])];
  const retail = all.find((e) => e.labels[WORKSPACE_LABEL] === "retail")?.name;
  const other = all.find(
    (e) => !["search", "analytics"].includes(e.name) && e.labels[WORKSPACE_LABEL] !== "retail",
  );
  namespaces = ["search", retail!, other!.name];
}, 60_000);

afterAll(async () => {
  await cache?.stop();
  registry?.close();
  await sim?.stop();
});

function subjectOf(name: string): Subject {
  return { user: name, groups: sim.user(name).groups, source: "oidc" };
}

async function canI(
  user: string,
  verb: string,
  kind: AnyKind,
  namespace?: string,
  name?: string,
): Promise<boolean> {
  const { group, resource } = resourceOf(kind.path);
  const target = `${group ? `${resource}.${group}` : resource}${name ? `/${name}` : ""}`;
  const groups = sim.user(user).groups.map((g) => `--as-group=${g}`);
  const where = namespace ? ["-n", namespace] : [];
  const r = await kubectl(sim.kubeconfigPath, [
    `--context=${cluster}`,
    "auth",
    "can-i",
    verb,
    target,
    ...where,
    `--as=${user}`,
    ...groups,
  ]);
  if (!/^(yes|no)/.test(r.stdout.trim())) throw new Error(`kubectl auth can-i: ${r.stdout} ${r.stderr}`);
  return r.stdout.trim().startsWith("yes");
}

/** Runs `work` over `items` a few at a time (kubectl is a process each). */
async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, size = 6): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

describe("cluster RBAC evaluator vs kubectl auth can-i", () => {
  it("agrees on list for every cached kind, in a few namespaces and cluster-wide, for every demo user", async () => {
    const mismatches: string[] = [];
    const questions: { user: string; kind: AnyKind; namespace?: string }[] = [];
    for (const user of USERS) {
      for (const kind of KINDS) {
        if (kind.kind === "Namespace") continue;
        if (isClusterScoped(kind)) questions.push({ user, kind });
        else for (const namespace of namespaces) questions.push({ user, kind, namespace });
      }
    }
    await inBatches(questions, async ({ user, kind, namespace }) => {
      const expected = await canI(user, "list", kind, namespace);
      const { group, resource } = resourceOf(kind.path);
      const decided = rbac.decide(subjectOf(user), cluster, {
        verb: "list",
        group,
        resource,
        ...(namespace ? { namespace } : {}),
      });
      const access = rbac.readAccess(subjectOf(user), cluster, KINDS);
      const scope = access === "everything" ? Scope.everything() : Scope.of(access);
      const scoped = namespace
        ? scope.allows(cluster, kind.kind, namespace, "x")
        : scope.allowsClusterKind(cluster, kind.kind);
      if (decided.allowed !== expected || scoped !== expected) {
        mismatches.push(
          `${user} list ${kind.kind} ${namespace ?? "(cluster)"}: kubectl ${expected}, decide ${decided.allowed}, scope ${scoped}`,
        );
      }
    });
    expect(mismatches).toEqual([]);
    // The comparison is not vacuous: somebody is allowed, somebody is refused.
    expect(
      await canI(
        "bob",
        "list",
        KINDS.find((k) => k.kind === "Pod")!,
        "search",
      ),
    ).toBe(true);
    expect(
      await canI(
        "bob",
        "list",
        KINDS.find((k) => k.kind === "Secret")!,
        "search",
      ),
    ).toBe(false);
  }, 180_000);

  it("agrees on which Namespace objects each user may get", async () => {
    const namespaceKind = KINDS.find((k) => k.kind === "Namespace")!;
    const mismatches: string[] = [];
    const questions = USERS.flatMap((user) => namespaces.map((namespace) => ({ user, namespace })));
    await inBatches(questions, async ({ user, namespace }) => {
      const expected = await canI(user, "get", namespaceKind, namespace, namespace);
      const access = rbac.readAccess(subjectOf(user), cluster, KINDS);
      const scope = access === "everything" ? Scope.everything() : Scope.of(access);
      if (scope.allows(cluster, "Namespace", "", namespace) !== expected)
        mismatches.push(`${user} get namespace ${namespace}: kubectl ${expected}`);
    });
    expect(mismatches).toEqual([]);
  }, 60_000);
});

describe("access evaluator over the live caches", () => {
  const bindings: GatewayRoleBinding[] = [
    { role: "platform-admin", users: ["mallory", "carol"] },
    { role: "workspace-viewer", workspace: "retail", users: ["alice"] },
  ];
  const evaluator = () =>
    new AccessEvaluator({
      rbac,
      bindings: () => bindings,
      clusters: () => registry.names(),
      reader: new QueryEngine(index, {
        clusterLabels: () => ({}),
        isKnown: (c) => registry.get(c) !== undefined,
      }),
      index,
      workspaceLabel: WORKSPACE_LABEL,
    });

  it("intersects the gateway's roles with the cluster's RBAC", async () => {
    const access = evaluator();
    const retail = namespaces[1]!;
    const alice = await access.scopeFor(subjectOf("alice"));
    // RBAC makes alice admin there (secrets included); the gateway's viewer role leaves secrets out.
    const retailNamespaces = [...(index.find(cluster, "Namespace")?.all() ?? [])]
      .filter((e) => e.labels[WORKSPACE_LABEL] === "retail")
      .map((e) => e.name);
    expect(alice.namespacesIn(cluster, "Pod")).toEqual(new Set(retailNamespaces));
    expect(alice.allows(cluster, "Pod", retail, "x")).toBe(true);
    expect(alice.allows(cluster, "Secret", retail, "x")).toBe(false);
    expect(alice.allows(cluster, "Pod", "search", "x")).toBe(false);
    // carol: platform-admin, but the cluster lets her view only (no secrets, no nodes).
    const carol = await access.scopeFor(subjectOf("carol"));
    expect(carol.unrestricted).toBe(false);
    expect(carol.namespacesIn(cluster, "Pod")).toBe("*");
    expect(carol.namespacesIn(cluster, "Secret")).toEqual(new Set());
    const can = await access.can(subjectOf("carol"), {
      verb: "list",
      kind: "Secret",
      cluster,
      namespace: retail,
    });
    expect(can.allowed).toBe(false);
    expect(can.gateway.allowed).toBe(true);
    expect(can.cluster.allowed).toBe(false);
    // bob has no gateway role: nothing, whatever the cluster allows.
    expect((await access.scopeFor(subjectOf("bob"))).allowsCluster(cluster)).toBe(false);
  });

  it("sees a RoleBinding created with kubectl within seconds", async () => {
    const access = evaluator();
    const namespace = namespaces[2]!;
    const before = await access.scopeFor(subjectOf("mallory"));
    expect(before.allows(cluster, "Pod", namespace, "x")).toBe(false);
    const r = await kubectl(sim.kubeconfigPath, [
      `--context=${cluster}`,
      "create",
      "rolebinding",
      "mallory-view",
      "--clusterrole=view",
      "--user=mallory",
      "-n",
      namespace,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const after = await eventually(async () => {
      const scope = await access.scopeFor(subjectOf("mallory"));
      return scope.allows(cluster, "Pod", namespace, "x") ? scope : false;
    }, 5_000);
    expect(after.allows(cluster, "Secret", namespace, "x")).toBe(false);
    expect(after.allows(cluster, "Pod", namespaces[0]!, "x")).toBe(false);
  }, 30_000);
});
