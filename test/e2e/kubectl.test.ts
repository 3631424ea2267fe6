/**
 * The real kubectl against the simulated fleet: every command's effect is checked in the
 * simulator's own store afterwards, not only kubectl's exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import type { SimCluster } from "../../sim/cluster.js";
import { findResource } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { matchesLabels, parseLabelSelector } from "../../src/kube/label-selector.js";
import { eventually } from "../support/eventually.js";
import { kubectl, kubectlStream } from "../support/kubectl.js";

const POD = findResource("", "pods")!;
const NS = findResource("", "namespaces")!;
const DEPLOY = findResource("apps", "deployments")!;
const RS = findResource("apps", "replicasets")!;

let fleet: SimFleet;
let cluster: SimCluster;
let kc: string;
let ctx: string;

function podsOf(deploy: KubeObject): KubeObject[] {
  const selector = (deploy.spec as { selector: { matchLabels: Record<string, string> } }).selector
    .matchLabels;
  return cluster.store
    .all(POD, deploy.metadata.namespace)
    .filter(
      (p) =>
        Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v) &&
        !p.metadata.deletionTimestamp,
    );
}

function someDeployment(skip: string[] = []): KubeObject {
  const d = cluster.store
    .all(DEPLOY)
    .find(
      (x) =>
        !skip.includes(x.metadata.name!) &&
        (x.spec as { replicas: number }).replicas >= 1 &&
        x.metadata.namespace !== "kube-system",
    );
  if (!d) throw new Error("the generated fleet has no deployment");
  return d;
}

beforeAll(async () => {
  fleet = await startFleet({
    clusters: 2,
    nodes: 3,
    pods: 60,
    seed: "kubectl-e2e",
    podStartDelayMs: 50,
    bookmarkIntervalMs: 1000,
  });
  cluster = fleet.clusters[1]!;
  kc = fleet.kubeconfigPath;
  ctx = `--context=${cluster.name}`;
});

afterAll(async () => {
  await fleet?.stop();
});

describe("kubectl against the simulator", () => {
  it("get -A with -l and --field-selector returns exactly the matching pods", async () => {
    const sample = cluster.store.all(POD).find((p) => p.metadata.labels?.["app.kubernetes.io/part-of"])!;
    const label = `app.kubernetes.io/part-of=${sample.metadata.labels!["app.kubernetes.io/part-of"]}`;
    const r = await kubectl(kc, [
      ctx,
      "get",
      "pods",
      "-A",
      "-l",
      label,
      "--field-selector",
      "status.phase=Running",
      "-o",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const got = (JSON.parse(r.stdout) as { items: KubeObject[] }).items.map(
      (p) => `${p.metadata.namespace}/${p.metadata.name}`,
    );
    const selector = parseLabelSelector(label);
    const want = cluster.store
      .all(POD)
      .filter(
        (p) =>
          matchesLabels(selector, p.metadata.labels) && (p.status as { phase: string }).phase === "Running",
      )
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(want.length).toBeGreaterThan(0);
    expect(got.sort()).toEqual(want.sort());
  });

  it("prints a table for short names (po, deploy, ns) in every context", async () => {
    for (const c of fleet.clusters) {
      const r = await kubectl(kc, [`--context=${c.name}`, "get", "po", "-A"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
      expect(lines.length - 1).toBe(c.store.count(POD));
    }
    const ns = await kubectl(kc, [ctx, "get", "ns", "-o", "name"]);
    expect(ns.stdout.trim().split("\n").sort()).toEqual(
      cluster.store
        .all(NS)
        .map((n) => `namespace/${n.metadata.name}`)
        .sort(),
    );
    const deploy = await kubectl(kc, [ctx, "get", "deploy", "-A", "--no-headers"]);
    expect(deploy.stdout.trim().split("\n")).toHaveLength(cluster.store.count(DEPLOY));
  });

  it("rejects an unsupported field selector the way the API server does", async () => {
    const r = await kubectl(kc, [ctx, "get", "pods", "-A", "--field-selector", "spec.bogus=1"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("field label not supported: spec.bogus");
  });

  it("scale changes the deployment and the controllers converge on the new pod count", async () => {
    const d = someDeployment();
    const ns = d.metadata.namespace!;
    const target = (d.spec as { replicas: number }).replicas + 2;
    const r = await kubectl(kc, [
      ctx,
      "-n",
      ns,
      "scale",
      `deployment/${d.metadata.name}`,
      `--replicas=${target}`,
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("scaled");
    expect((cluster.store.get(DEPLOY, ns, d.metadata.name!)!.spec as { replicas: number }).replicas).toBe(
      target,
    );
    await eventually(() => {
      const pods = podsOf(d);
      expect(pods).toHaveLength(target);
      expect(pods.every((p) => (p.status as { phase: string }).phase === "Running")).toBe(true);
      return true;
    });
  });

  it("get -w streams changes as they happen", async () => {
    const d = someDeployment();
    const ns = d.metadata.namespace!;
    const watch = kubectlStream(kc, [
      ctx,
      "-n",
      ns,
      "get",
      "pods",
      "-w",
      "--output-watch-events",
      "--no-headers",
    ]);
    try {
      await eventually(() => watch.output().includes("ADDED"));
      const before = new Set(podsOf(d).map((p) => p.metadata.name));
      cluster.store.mutate(
        DEPLOY,
        ns,
        d.metadata.name!,
        (o) => void ((o.spec as { replicas: number }).replicas += 1),
      );
      const created: KubeObject = await eventually(() =>
        podsOf(d).find((p) => !before.has(p.metadata.name))!,
      );
      await eventually(() => watch.output().includes(created.metadata.name!));
      expect(watch.output()).toMatch(new RegExp(`ADDED\\s+${created.metadata.name}`));
    } finally {
      watch.stop();
    }
  });

  it("rollout restart replaces every pod through a new ReplicaSet", async () => {
    const d = someDeployment();
    const ns = d.metadata.namespace!;
    const oldPods = new Set(podsOf(d).map((p) => p.metadata.uid));
    const r = await kubectl(kc, [ctx, "-n", ns, "rollout", "restart", `deployment/${d.metadata.name}`]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("restarted");
    const template = (cluster.store.get(DEPLOY, ns, d.metadata.name!)!.spec as { template: KubeObject })
      .template;
    expect(template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]).toBeDefined();
    await eventually(() => {
      const pods = podsOf(d);
      expect(pods.length).toBe((d.spec as { replicas: number }).replicas);
      expect(pods.some((p) => oldPods.has(p.metadata.uid))).toBe(false);
      expect(pods.every((p) => (p.status as { phase: string }).phase === "Running")).toBe(true);
      return true;
    }, 15_000);
    const sets = cluster.store
      .all(RS, ns)
      .filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
    expect(sets.length).toBeGreaterThanOrEqual(2);
    expect(sets.filter((rs) => (rs.spec as { replicas: number }).replicas > 0)).toHaveLength(1);
  });

  it("logs -f follows a container's output as it grows", async () => {
    const pod = cluster.store.all(POD).find((p) => (p.status as { phase: string }).phase === "Running")!;
    const container = (pod.spec as { containers: { name: string }[] }).containers[0]!.name;
    const follow = kubectlStream(kc, [
      ctx,
      "-n",
      pod.metadata.namespace!,
      "logs",
      "-f",
      "--tail=2",
      pod.metadata.name!,
      "-c",
      container,
    ]);
    try {
      const first = await eventually(() =>
        follow.output().trim().split("\n").length >= 2 ? follow.output() : undefined,
      );
      await eventually(
        () => follow.output().trim().split("\n").length >= first.trim().split("\n").length + 2,
      );
      expect(follow.child.exitCode).toBeNull();
    } finally {
      follow.stop();
    }
    const tail = await kubectl(kc, [
      ctx,
      "-n",
      pod.metadata.namespace!,
      "logs",
      "--tail=3",
      pod.metadata.name!,
      "-c",
      container,
    ]);
    expect(tail.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("auth can-i answers from the cluster's RBAC, also with --as impersonation", async () => {
    const bob = fleet.user("bob");
    const visible = bob.namespaces[0]!;
    const other = cluster.store
      .all(NS)
      .map((n) => n.metadata.name!)
      .find((n) => !bob.namespaces.includes(n))!;
    const yes = await kubectl(kc, [ctx, "auth", "can-i", "list", "pods", "-n", visible, "--as", "bob"]);
    expect(yes.stdout.trim()).toBe("yes");
    const no = await kubectl(kc, [ctx, "auth", "can-i", "list", "pods", "-n", other, "--as", "bob"]);
    expect(no.stdout.trim()).toBe("no");
    const write = await kubectl(kc, [ctx, "auth", "can-i", "delete", "pods", "-n", visible, "--as", "bob"]);
    expect(write.stdout.trim()).toBe("no");
    const own = await kubectl(kc, [
      ctx,
      "auth",
      "can-i",
      "--token",
      fleet.user("carol").token,
      "list",
      "pods",
      "-A",
    ]);
    expect(own.stdout.trim()).toBe("yes");
  });

  it("--as a user without bindings is forbidden with the real message, and writes nothing", async () => {
    const ns = someDeployment().metadata.namespace!;
    const r = await kubectl(kc, [ctx, "-n", ns, "get", "pods", "--as", "mallory"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `pods is forbidden: User "mallory" cannot list resource "pods" in API group "" in the namespace "${ns}"`,
    );
    const victim = cluster.store.all(POD, ns)[0]!;
    const del = await kubectl(kc, [
      ctx,
      "-n",
      ns,
      "delete",
      "pod",
      victim.metadata.name!,
      "--as",
      "mallory",
      "--wait=false",
    ]);
    expect(del.code).not.toBe(0);
    expect(cluster.store.get(POD, ns, victim.metadata.name!)?.metadata.uid).toBe(victim.metadata.uid);
    const asMallory = await kubectl(kc, [
      ctx,
      "get",
      "pods",
      "--token",
      fleet.user("mallory").token,
      "--as",
      "admin",
    ]);
    expect(asMallory.code).not.toBe(0);
    expect(asMallory.stderr).toContain('cannot impersonate resource "users"');
  });

  it("delete removes a pod (its ReplicaSet replaces it) and a namespace with its contents", async () => {
    const d = someDeployment();
    const ns = d.metadata.namespace!;
    const victim = podsOf(d)[0]!;
    const r = await kubectl(kc, [ctx, "-n", ns, "delete", "pod", victim.metadata.name!]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`pod "${victim.metadata.name}" deleted`);
    expect(cluster.store.get(POD, ns, victim.metadata.name!)).toBeUndefined();
    await eventually(
      () =>
        podsOf(d).length ===
        (cluster.store.get(DEPLOY, ns, d.metadata.name!)!.spec as { replicas: number }).replicas,
    );

    const doomed = cluster.store
      .all(NS)
      .map((n) => n.metadata.name!)
      .find(
        (n) => n !== ns && cluster.store.all(POD, n).length > 0 && !n.startsWith("kube-") && n !== "default",
      )!;
    const nsDel = await kubectl(kc, [ctx, "delete", "namespace", doomed], 30_000);
    expect(nsDel.stderr).toBe("");
    expect(nsDel.stdout).toContain(`namespace "${doomed}" deleted`);
    await eventually(
      () =>
        cluster.store.get(NS, undefined, doomed) === undefined && cluster.store.all(POD, doomed).length === 0,
    );
    const gone = await kubectl(kc, [ctx, "get", "namespace", doomed]);
    expect(gone.stderr).toContain(`namespaces "${doomed}" not found`);
  });
});
