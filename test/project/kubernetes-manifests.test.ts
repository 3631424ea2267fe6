/**
 * deploy/kubernetes: both kustomizations render with kubectl's built-in kustomize, pass
 * `kubectl apply --dry-run=server -k` against a simulated cluster (its discovery, OpenAPI,
 * defaulting and admission, nothing stored), and hold the properties operations rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { kubectl } from "../support/kubectl.js";
import { ROOT } from "../support/built-cli.js";

const BASE = `${ROOT}/deploy/kubernetes/base`;
const MEMBER = `${ROOT}/deploy/kubernetes/member-cluster`;

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

let fleet: SimFleet;
beforeAll(async () => {
  fleet = await startFleet({ clusters: 1, nodes: 1, pods: 5, seed: "manifests" });
});
afterAll(() => fleet?.stop());

async function render(dir: string): Promise<Manifest[]> {
  const out = await kubectl(fleet.kubeconfigPath, ["kustomize", dir]);
  expect(out.stderr).toBe("");
  expect(out.code).toBe(0);
  return parseAllDocuments(out.stdout).map((d) => d.toJS() as Manifest);
}

interface Probe {
  httpGet: { path: string };
}

interface Container {
  securityContext: unknown;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests?: Record<string, string>; limits: Record<string, string> };
}

type Selector = { matchLabels: Record<string, string> };

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

describe("deploy/kubernetes", () => {
  it("renders the gateway's base with every object operations expect", async () => {
    const manifests = await render(BASE);
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      "ConfigMap",
      "Deployment",
      "HorizontalPodAutoscaler",
      "Namespace",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Service",
      "ServiceAccount",
    ]);
    const [deployment] = byKind(manifests, "Deployment") as unknown as [
      {
        spec: {
          selector: { matchLabels: Record<string, string> };
          template: {
            metadata: { labels: Record<string, string> };
            spec: {
              securityContext: Record<string, unknown>;
              containers: Container[];
              volumes: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
            };
          };
        };
      },
    ];
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const container = pod.containers[0]!;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.livenessProbe.httpGet.path).toBe("/livez");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    // The config is the generated ConfigMap (hash-suffixed); the secrets are referenced only.
    const configMap = byKind(manifests, "ConfigMap")[0]!;
    expect(pod.volumes.find((v) => v.name === "config")!.configMap!.name).toBe(configMap.metadata.name);
    expect(pod.volumes.flatMap((v) => (v.secret ? [v.secret.secretName] : [])).sort()).toEqual([
      "fleetgraph-clusters",
      "fleetgraph-oidc",
      "fleetgraph-session-keys",
    ]);
    expect(byKind(manifests, "Secret")).toEqual([]);
    for (const kind of ["PodDisruptionBudget", "NetworkPolicy"]) {
      const [object] = byKind(manifests, kind) as unknown as [
        { spec: { podSelector?: Selector; selector?: Selector } },
      ];
      const selector = kind === "NetworkPolicy" ? object.spec.podSelector : object.spec.selector;
      expect(selector!.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
  });

  it("renders the member cluster's RBAC: read what the gateway caches, impersonate, write nothing", async () => {
    const manifests = await render(MEMBER);
    const [role] = byKind(manifests, "ClusterRole") as unknown as [
      { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] },
    ];
    const verbs = new Set(role.rules.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(["get", "impersonate", "list", "watch"]);
    const impersonation = role.rules.find((r) => r.verbs.includes("impersonate"))!;
    expect(impersonation.resources.sort()).toEqual(["groups", "serviceaccounts", "users"]);
    const [binding] = byKind(manifests, "ClusterRoleBinding") as unknown as [{ subjects: unknown[] }];
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "fleetgraph-gateway", namespace: "fleetgraph-system" },
    ]);
  });

  it.each([
    ["the gateway's base", BASE, "fleetgraph", "deployment/fleetgraph"],
    ["the member cluster's RBAC", MEMBER, "fleetgraph-system", "serviceaccount/fleetgraph-gateway"],
  ])(
    "applies %s with kubectl apply --dry-run=server -k against a simulated cluster",
    async (_what, dir, namespace, object) => {
      // As on a real server, a dry-run namespace does not exist for the objects in it: it is made first.
      expect(
        (await kubectl(fleet.kubeconfigPath, ["create", "namespace", namespace, "--save-config"])).code,
      ).toBe(0);
      const out = await kubectl(fleet.kubeconfigPath, ["apply", "--dry-run=server", "-k", dir], 60_000);
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      const lines = out.stdout.trim().split("\n");
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(line).toMatch(/ (created|configured|unchanged) \(server dry run\)$/);
      // Nothing was stored.
      const after = await kubectl(fleet.kubeconfigPath, ["get", "-n", namespace, object]);
      expect(after.stderr).toMatch(/NotFound/);
    },
  );
});
