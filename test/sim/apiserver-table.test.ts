/**
 * Server-side printing: the real kubectl asks for meta.k8s.io Tables and prints the server's
 * columns, so `kubectl get` output must look like a real cluster's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import { humanDuration } from "../../sim/apiserver/table/human-duration.js";
import { POD, startFixture, type Fixture } from "./apiserver-fixture.js";
import { kubectl, kubectlStream } from "../support/kubectl.js";
import { eventually } from "../support/eventually.js";

const kind = (group: string, plural: string): ResourceKind => findResource(group, plural)!;
const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

let f: Fixture;
let admin: string;

function seedWorkloads(): void {
  const { store } = f;
  const template = {
    metadata: { labels: { app: "api" } },
    spec: { containers: [{ name: "api", image: "reg/api:2" }] },
  };
  store.create(POD, {
    metadata: { name: "api-0", namespace: "team-a" },
    spec: { nodeName: "node-0", containers: [{ name: "api", image: "reg/api:2" }] },
    status: {
      phase: "Running",
      podIP: "10.1.0.7",
      podIPs: [{ ip: "10.1.0.7" }],
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [
        {
          name: "api",
          ready: true,
          restartCount: 3,
          state: { running: { startedAt: minutesAgo(4) } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: minutesAgo(5) } },
        },
      ],
    },
  });
  store.create(POD, {
    metadata: { name: "crashy", namespace: "team-a" },
    spec: { nodeName: "node-1", containers: [{ name: "c", image: "reg/c:1" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { name: "c", ready: false, restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    },
  });
  store.create(POD, {
    metadata: { name: "done", namespace: "team-a" },
    spec: { containers: [{ name: "c", image: "reg/c:1" }] },
    status: {
      phase: "Succeeded",
      containerStatuses: [
        {
          name: "c",
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: "Completed" } },
        },
      ],
    },
  });
  const selector = { matchLabels: { app: "api" } };
  store.create(kind("apps", "replicasets"), {
    metadata: { name: "api-7d9f", namespace: "team-a" },
    spec: { replicas: 3, selector, template },
    status: { replicas: 3, readyReplicas: 2 },
  });
  store.create(kind("apps", "statefulsets"), {
    metadata: { name: "db", namespace: "team-a" },
    spec: { replicas: 2, selector, template, serviceName: "db" },
    status: { replicas: 2, readyReplicas: 1 },
  });
  store.create(kind("apps", "daemonsets"), {
    metadata: { name: "agent", namespace: "team-a" },
    spec: { selector, template: { ...template, spec: { ...template.spec, nodeSelector: { os: "linux" } } } },
    status: {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
    },
  });
  store.create(kind("batch", "jobs"), {
    metadata: { name: "migrate", namespace: "team-a" },
    spec: { completions: 1, template: { spec: { containers: [{ name: "m", image: "reg/m:1" }] } } },
    status: {
      succeeded: 1,
      startTime: minutesAgo(10),
      completionTime: minutesAgo(9.5),
      conditions: [{ type: "Complete", status: "True" }],
    },
  });
  store.create(kind("batch", "cronjobs"), {
    metadata: { name: "nightly", namespace: "team-a" },
    spec: {
      schedule: "0 3 * * *",
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [] } } } },
    },
    status: {},
  });
  store.create(kind("", "nodes"), {
    metadata: { name: "node-0", labels: { "node-role.kubernetes.io/control-plane": "" } },
    status: {
      conditions: [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "192.168.0.10" }],
      nodeInfo: {
        kubeletVersion: "v1.32.4",
        osImage: "Debian GNU/Linux 12",
        kernelVersion: "6.1.0",
        containerRuntimeVersion: "containerd://1.7.24",
      },
    },
  });
  store.create(kind("", "services"), {
    metadata: { name: "api", namespace: "team-a" },
    spec: {
      type: "ClusterIP",
      clusterIP: "10.96.0.12",
      clusterIPs: ["10.96.0.12"],
      ports: [{ port: 80, protocol: "TCP" }],
      selector: { app: "api" },
    },
  });
  store.create(kind("", "events"), {
    metadata: { name: "api-0.1", namespace: "team-a" },
    involvedObject: { kind: "Pod", name: "api-0", namespace: "team-a" },
    reason: "Started",
    type: "Normal",
    message: "Started container api",
    lastTimestamp: minutesAgo(2),
    firstTimestamp: minutesAgo(2),
    count: 1,
  });
  store.create(kind("", "configmaps"), {
    metadata: { name: "settings", namespace: "team-a" },
    data: { a: "1", b: "2" },
  });
  store.create(kind("", "secrets"), {
    metadata: { name: "token", namespace: "team-a" },
    type: "Opaque",
    data: { t: Buffer.from("x").toString("base64") },
  });
}

beforeAll(async () => {
  f = await startFixture();
  admin = f.kubeconfigPath("admin");
  seedWorkloads();
});
afterAll(() => f.close());

/** The printed table as rows of cells split on the column gaps kubectl leaves (2+ spaces). */
function rows(stdout: string): string[][] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}

describe("server-side printing", () => {
  it("humanDuration matches the Kubernetes rounding", () => {
    expect(humanDuration(5_000)).toBe("5s");
    expect(humanDuration(119_000)).toBe("119s");
    expect(humanDuration(192_000)).toBe("3m12s");
    expect(humanDuration(15 * 60_000)).toBe("15m");
    expect(humanDuration((5 * 60 + 4) * 60_000)).toBe("5h4m");
    expect(humanDuration(30 * 3600_000)).toBe("30h");
    expect(humanDuration((2 * 24 + 4) * 3600_000)).toBe("2d4h");
    expect(humanDuration(40 * 24 * 3600_000)).toBe("40d");
    expect(humanDuration(-5_000)).toBe("<invalid>");
  });

  it("kubectl get po prints READY, STATUS, RESTARTS and AGE like a real server", async () => {
    const r = await kubectl(admin, ["get", "po"]);
    expect(r.stderr).toBe("");
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    const byName = new Map(body.map((cells) => [cells[0], cells]));
    expect(byName.get("api-0")).toEqual([
      "api-0",
      "1/1",
      "Running",
      "3 (5m ago)",
      expect.stringMatching(/^\d+s$/),
    ]);
    expect(byName.get("crashy")?.slice(1, 4)).toEqual(["0/1", "CrashLoopBackOff", "7"]);
    expect(byName.get("done")?.slice(1, 4)).toEqual(["0/1", "Completed", "0"]);
    expect(byName.get("pod-0")?.slice(1, 4)).toEqual(["0/1", "Pending", "0"]);
    expect(body).toHaveLength(f.store.all(POD, "team-a").length);
  });

  it("-o wide adds the priority-1 columns", async () => {
    const r = await kubectl(admin, ["get", "po", "api-0", "-o", "wide"]);
    const [header, cells] = rows(r.stdout);
    expect(header).toEqual([
      "NAME",
      "READY",
      "STATUS",
      "RESTARTS",
      "AGE",
      "IP",
      "NODE",
      "NOMINATED NODE",
      "READINESS GATES",
    ]);
    expect(cells?.slice(5)).toEqual(["10.1.0.7", "node-0", "<none>", "<none>"]);
  });

  it("prints the real headers for every served kind", async () => {
    const r = await kubectl(admin, ["get", "deploy,rs,sts,ds,jobs,cronjobs,svc,ev,cm,secrets"]);
    expect(r.stderr).toBe("");
    const out = r.stdout;
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(out).toMatch(/^deployment\.apps\/web\s+2\/2\s+0\s+0\s+\d+s$/m);
    expect(out).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m);
    expect(out).toMatch(/^replicaset\.apps\/api-7d9f\s+3\s+3\s+2\s+\d+s$/m);
    expect(out).toMatch(/^statefulset\.apps\/db\s+1\/2\s+\d+s$/m);
    expect(out).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m);
    expect(out).toMatch(/^daemonset\.apps\/agent\s+2\s+2\s+2\s+2\s+2\s+os=linux\s+\d+s$/m);
    expect(out).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m);
    expect(out).toMatch(/^job\.batch\/migrate\s+Complete\s+1\/1\s+30s\s+\d+s$/m);
    expect(out).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/m);
    expect(out).toMatch(/^cronjob\.batch\/nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s$/m);
    expect(out).toMatch(/^service\/api\s+ClusterIP\s+10\.96\.0\.12\s+<none>\s+80\/TCP\s+\d+s$/m);
    expect(out).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
    expect(out).toMatch(/^2m\s+Normal\s+Started\s+pod\/api-0\s+Started container api$/m);
    expect(out).toMatch(/^configmap\/settings\s+2\s+\d+s$/m);
    expect(out).toMatch(/^secret\/token\s+Opaque\s+1\s+\d+s$/m);

    const cluster = await kubectl(admin, ["get", "nodes,ns", "-o", "wide"]);
    expect(cluster.stdout).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m,
    );
    expect(cluster.stdout).toMatch(
      /^node\/node-0\s+Ready\s+control-plane\s+\d+s\s+v1\.32\.4\s+192\.168\.0\.10\s+<none>\s+Debian GNU\/Linux 12\s+6\.1\.0\s+containerd:\/\/1\.7\.24$/m,
    );
    expect(cluster.stdout).toMatch(/^namespace\/team-a\s+Active\s+\d+s$/m);

    f.store.create(kind("rbac.authorization.k8s.io", "clusterroles"), {
      metadata: { name: "reader" },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
    });
    const roles = await kubectl(admin, ["get", "clusterroles"]);
    expect(roles.stdout).toMatch(/^NAME\s+CREATED AT\nreader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
  });

  it("answers Tables with PartialObjectMetadata rows unless includeObject says otherwise", async () => {
    const res = await f.fetch("/api/v1/namespaces/team-a/pods?limit=2", {
      headers: { accept: TABLE_ACCEPT },
    });
    const table = (await res.json()) as {
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
      columnDefinitions: { name: string; priority: number; type: string }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
    };
    expect([table.kind, table.apiVersion]).toEqual(["Table", "meta.k8s.io/v1"]);
    expect(table.metadata.continue).toBeTruthy();
    expect(table.metadata.remainingItemCount).toBe(f.store.all(POD, "team-a").length - 2);
    expect(table.columnDefinitions.filter((c) => c.priority > 0).map((c) => c.name)).toEqual([
      "IP",
      "Node",
      "Nominated Node",
      "Readiness Gates",
    ]);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]!.object.kind).toBe("PartialObjectMetadata");

    const full = await f.fetch("/api/v1/namespaces/team-a/pods/api-0?includeObject=Object", {
      headers: { accept: TABLE_ACCEPT },
    });
    const one = (await full.json()) as { rows: { object: { kind: string; spec: unknown } }[] };
    expect(one.rows[0]!.object.kind).toBe("Pod");
    expect(one.rows[0]!.object.spec).toBeDefined();

    const plain = await f.fetch("/api/v1/namespaces/team-a/pods", {
      headers: { accept: "application/json" },
    });
    expect(((await plain.json()) as { kind: string }).kind).toBe("PodList");
    const bad = await f.fetch("/api/v1/namespaces/team-a/pods?includeObject=All", {
      headers: { accept: TABLE_ACCEPT },
    });
    expect(bad.status).toBe(400);
  });

  it("get -w prints each change as a row under one header", async () => {
    const watch = kubectlStream(admin, ["get", "pods", "-w"]);
    try {
      await eventually(() => /^api-0\s+1\/1\s+Running/m.test(watch.output()));
      f.store.create(POD, {
        metadata: { name: "watched", namespace: "team-a" },
        spec: { containers: [{ name: "c", image: "x" }] },
        status: { phase: "Pending" },
      });
      await eventually(() => /^watched\s+0\/1\s+Pending\s+0\s+\d+s$/m.test(watch.output()));
      const current = f.store.get(POD, "team-a", "watched")!;
      f.store.update(POD, { ...current, status: { phase: "Running" } });
      await eventually(() => /^watched\s+0\/1\s+Running\s+0\s+\d+s$/m.test(watch.output()));
      expect(watch.output().match(/^NAME\s+READY\s+STATUS/gm)).toHaveLength(1);
    } finally {
      watch.stop();
    }
  });
});
