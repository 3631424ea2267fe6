/**
 * The example policy, policies/fleetgraph.rego, cannot run here (no OPA). Its rules are mirrored
 * rule by rule as the stand-in server's decision functions, over its own data document
 * (policies/fleetgraph.data.json), and the examples docs/security.md documents are played
 * through OpaPolicySource. When the policy changes, change the mirror and the examples with it.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpaPolicySource } from "../../auth/access/opa-policy.js";
import type { PolicyInput } from "../../auth/access/policy-source.js";
import type { Subject } from "../../auth/subject.js";
import { OpaTestServer } from "../support/opa-server.js";

interface Labels {
  labels: Record<string, string>;
}
interface PolicyData {
  inventory: { clusters: Record<string, Labels>; namespaces: Record<string, Record<string, Labels>> };
  teams: Record<string, { groups: string[]; namespaces: Record<string, string[]> }>;
}

const root = new URL("../../", import.meta.url);
const data = JSON.parse(readFileSync(new URL("policies/fleetgraph.data.json", root), "utf8")) as PolicyData;
const rego = readFileSync(new URL("policies/fleetgraph.rego", root), "utf8");

// ---- the mirror of policies/fleetgraph.rego ------------------------------------------------------

type Who = PolicyInput["subject"];

const platformAdmin = (s: Who) => s.groups.includes("platform-admins");
const sre = (s: Who) => s.groups.includes("sre");
const productionClusters = () =>
  Object.entries(data.inventory.clusters)
    .filter(([, c]) => c.labels.env === "prod")
    .map(([name]) => name);
const memberTeams = (s: Who) =>
  Object.entries(data.teams)
    .filter(([, team]) => team.groups.some((g) => s.groups.includes(g)))
    .map(([name]) => name);
const isProtected = (cluster?: string, namespace?: string) =>
  cluster !== undefined &&
  namespace !== undefined &&
  data.inventory.namespaces[cluster]?.[namespace]?.labels.protected === "true";

function scope({ subject }: { subject: Who }): unknown {
  if (platformAdmin(subject)) return { everything: true };
  const sreGrants = sre(subject)
    ? productionClusters().map((cluster) => ({ cluster, namespaces: "*", clusterKinds: "*" }))
    : [];
  const teamGrants = memberTeams(subject).flatMap((team) =>
    Object.entries(data.teams[team]!.namespaces).map(([cluster, namespaces]) => ({ cluster, namespaces })),
  );
  const supportGrants = subject.groups.includes("support")
    ? [{ cluster: "*", namespaces: "*", kinds: ["Pod", "Event"] }]
    : [];
  return { grants: [...sreGrants, ...teamGrants, ...supportGrants] };
}

function deny({ action, resource: r }: PolicyInput): string[] {
  const reasons: string[] = [];
  if (action === "delete" && isProtected(r.cluster, r.namespace)) {
    reasons.push(
      `namespace ${r.namespace} in cluster ${r.cluster} is protected: nothing in it may be deleted`,
    );
  }
  if (action === "delete" && r.kind === "Namespace" && isProtected(r.cluster, r.name)) {
    reasons.push(`namespace ${r.name} in cluster ${r.cluster} is protected and cannot be deleted`);
  }
  return reasons.sort();
}

function permitted({ subject, action, resource: r }: PolicyInput): boolean {
  const onProduction = r.cluster !== undefined && productionClusters().includes(r.cluster);
  return (
    platformAdmin(subject) ||
    memberTeams(subject).some(
      (team) =>
        r.namespace !== undefined &&
        (data.teams[team]!.namespaces[r.cluster ?? ""] ?? []).includes(r.namespace),
    ) ||
    (sre(subject) && onProduction && ["get", "list", "watch"].includes(action)) ||
    (sre(subject) && onProduction && action === "delete" && r.kind === "Pod")
  );
}

function allow(input: PolicyInput): unknown {
  const reasons = deny(input);
  if (reasons.length > 0) return { allowed: false, reason: reasons.join("; ") };
  if (permitted(input)) return { allowed: true };
  return { allowed: false, reason: "no rule of package fleetgraph allows this action" };
}

// ---- the documented examples ---------------------------------------------------------------------

const subject = (user: string, ...groups: string[]): Subject => ({ user, groups, source: "oidc" });
const alice = subject("alice@example.com", "payments-devs");
const sam = subject("sam@example.com", "sre");
const pat = subject("pat@example.com", "support");
const root_ = subject("root@example.com", "platform-admins");

let opa: OpaTestServer;
let policy: OpaPolicySource;

beforeAll(async () => {
  opa = await OpaTestServer.start({
    decisions: {
      "fleetgraph/scope": (input) => scope(input as { subject: Who }),
      "fleetgraph/allow": (input) => allow(input as PolicyInput),
    },
  });
  policy = new OpaPolicySource({ url: opa.url, cacheSeconds: 0 });
});

afterAll(async () => {
  await opa?.close();
});

describe("the example policy's entry points", () => {
  it("are the ones OpaPolicySource queries by default, in package fleetgraph", () => {
    expect(rego).toMatch(/^package fleetgraph$/m);
    expect(rego).toMatch(/^import rego\.v1$/m);
    expect(rego).toMatch(/^scope := /m);
    expect(rego).toMatch(/^default allow := /m);
    expect([policy.scopePath, policy.allowPath]).toEqual(["fleetgraph/scope", "fleetgraph/allow"]);
  });
});

describe("scope examples", () => {
  it("a team member reads the team's namespaces in each cluster", async () => {
    expect(await policy.grants(alice)).toEqual([
      { cluster: "prod-eu", namespaces: ["payments"] },
      { cluster: "prod-us", namespaces: ["payments"] },
      { cluster: "staging", namespaces: ["payments"] },
    ]);
  });

  it("an SRE reads every namespace and cluster-scoped kind of the clusters labelled env=prod", async () => {
    expect(await policy.grants(sam)).toEqual([
      { cluster: "prod-eu", namespaces: "*", clusterKinds: "*" },
      { cluster: "prod-us", namespaces: "*", clusterKinds: "*" },
    ]);
  });

  it("support reads pods and events everywhere, a platform admin everything", async () => {
    expect(await policy.grants(pat)).toEqual([{ cluster: "*", namespaces: "*", kinds: ["Pod", "Event"] }]);
    expect(await policy.grants(root_)).toBe("everything");
  });

  it("someone in no group reads nothing", async () => {
    expect(await policy.grants(subject("eve@example.com"))).toEqual([]);
  });
});

describe("allow examples", () => {
  const pod = (cluster: string, namespace: string) => ({
    cluster,
    namespace,
    group: "",
    kind: "Pod",
    name: "api-0",
  });

  it.each<[string, PolicyInput, { allowed: boolean; reason?: string }]>([
    [
      "a team member reads a pod of the team",
      { subject: alice, action: "get", resource: pod("prod-eu", "payments") },
      { allowed: true },
    ],
    [
      "a team member deletes in a protected namespace",
      { subject: alice, action: "delete", resource: pod("prod-eu", "payments") },
      {
        allowed: false,
        reason: "namespace payments in cluster prod-eu is protected: nothing in it may be deleted",
      },
    ],
    [
      "a team member deletes where nothing is protected",
      { subject: alice, action: "delete", resource: pod("staging", "payments") },
      { allowed: true },
    ],
    [
      "a team member reads another team's pod",
      { subject: alice, action: "get", resource: pod("prod-eu", "checkout") },
      { allowed: false, reason: "no rule of package fleetgraph allows this action" },
    ],
    [
      "an SRE restarts a pod in production",
      { subject: sam, action: "delete", resource: pod("prod-eu", "checkout") },
      { allowed: true },
    ],
    [
      "an SRE scales a deployment in production",
      {
        subject: sam,
        action: "update",
        resource: {
          cluster: "prod-eu",
          namespace: "checkout",
          group: "apps",
          kind: "Deployment",
          name: "web",
        },
      },
      { allowed: false, reason: "no rule of package fleetgraph allows this action" },
    ],
    [
      "a platform admin deletes a protected namespace",
      {
        subject: root_,
        action: "delete",
        resource: { cluster: "prod-us", kind: "Namespace", name: "payments" },
      },
      { allowed: false, reason: "namespace payments in cluster prod-us is protected and cannot be deleted" },
    ],
    [
      "a platform admin deletes anything else",
      { subject: root_, action: "delete", resource: pod("staging", "checkout") },
      { allowed: true },
    ],
  ])("%s", async (_, input, expected) => {
    expect(await policy.allow(input)).toEqual(expected);
    expect(opa.inputsTo("fleetgraph/allow").at(-1)).toEqual({
      subject: { user: input.subject.user, groups: [...input.subject.groups] },
      action: input.action,
      resource: input.resource,
    });
  });
});
