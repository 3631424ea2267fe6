/**
 * OPA as the gateway's policy, through a real `fleetgraph serve` process and the OPA stand-in
 * (test/support/opa-server.ts): a scope decision narrows what a user sees (intersected with the
 * built-in roles and the cluster's RBAC), a failing or slow policy service refuses the request
 * (fail closed), and `viewer { can }` asks the allow decision with the documented input.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { headlessLogin } from "../../auth/identity/headless-login.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { startDemoIdentity, type DemoIdentity } from "../../src/demo-identity/index.js";
import { demoRoleBindings } from "../../src/demo-identity/role-bindings.js";
import { OpaTestServer } from "../support/opa-server.js";
import {
  buildCli,
  demoOidcSection,
  fleetClusters,
  freePort,
  graphqlAt,
  startGatewayProcess,
  type GatewayProcess,
} from "./gateway-process.js";

const POD = findResource("", "pods")!;
const PROTECTED = "this namespace is protected: nothing in it may be deleted";
const PODS = `{ pods(first: 500) { totalCount nodes { name clusterName namespaceName } } }`;

let dir: string;
let fleet: SimFleet;
let idp: DemoIdentity;
let opa: OpaTestServer;
let gateway: GatewayProcess;
let alice: string;
let admin: string;
/** The one namespace of alice's workspace that the policy lets her read, on the first cluster. */
let cluster: string;
let granted: string;

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-auth-opa-"));
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 60, seed: "auth-opa" });
  cluster = fleet.clusters[0]!.name;
  granted = fleet.user("alice").namespaces[0]!;
  opa = await OpaTestServer.start({
    decisions: {
      "fleetgraph/scope": (input) => {
        const { subject } = input as { subject: { user: string } };
        if (subject.user === "admin") return { everything: true };
        // kube-system is granted too: neither alice's roles nor her RBAC let her read it.
        return { grants: [{ cluster, namespaces: [granted, "kube-system"] }] };
      },
      "fleetgraph/allow": (input) => {
        const { action } = input as { action: string };
        return action === "delete" ? { allowed: false, reason: PROTECTED } : true;
      },
    },
  });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  idp = await startDemoIdentity({ redirectUri: `${publicUrl}/auth/callback` });
  gateway = await startGatewayProcess({
    dir,
    port,
    config: {
      clusters: fleetClusters(fleet),
      auth: {
        publicUrl,
        oidc: demoOidcSection(idp),
        // Every request asks OPA: a failure is seen at once, never hidden by a cached answer.
        opa: { url: opa.url, timeoutMs: 300, cacheSeconds: 0 },
        roleBindings: demoRoleBindings(),
      },
    },
  });
  alice = (await headlessLogin(gateway.base, "alice", "alice-demo")).accessToken;
  admin = (await headlessLogin(gateway.base, "admin", "admin-demo")).accessToken;
}, 120_000);

beforeEach(() => {
  opa.failure = undefined;
  opa.delayMs = 0;
});

afterAll(async () => {
  await gateway?.stop();
  await opa?.close();
  await idp?.stop();
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface PodPage {
  totalCount: number;
  nodes: { name: string; clusterName: string; namespaceName: string }[];
}

async function podsAs(token: string): Promise<PodPage> {
  const answer = await graphqlAt(gateway.base, PODS, { token });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data!.pods as PodPage;
}

describe("OPA as the gateway's policy", () => {
  it("a user whose policy scope grants one of her namespaces sees only that namespace", async () => {
    const pods = await podsAs(alice);
    const expected = fleet.clusters[0]!.store.all(POD, granted)
      .map((p) => p.metadata.name)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(pods.totalCount).toBe(expected.length);
    expect(new Set(pods.nodes.map((p) => `${p.clusterName}/${p.namespaceName}`))).toEqual(
      new Set([`${cluster}/${granted}`]),
    );
    expect(pods.nodes.map((p) => p.name).sort()).toEqual(expected);

    // The policy is what narrowed it: a subject it grants everything sees both clusters.
    const everything = await podsAs(admin);
    expect(new Set(everything.nodes.map((p) => p.clusterName)).size).toBe(2);
    expect(opa.inputsTo("fleetgraph/scope")).toContainEqual({
      subject: { user: "alice", groups: ["workspace:retail"] },
    });
  });

  it("refuses the request with FORBIDDEN when the policy service answers 500 (fail closed)", async () => {
    opa.failure = "eval_conflict_error: functions must not produce multiple outputs";
    const answer = await graphqlAt(gateway.base, PODS, { token: alice });
    expect(answer.status).toBe(403);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(answer.body.errors?.[0]?.message).toContain(
      "policy service failed (server error) at fleetgraph/scope",
    );
    expect(answer.body.errors?.[0]?.message).toContain("functions must not produce multiple outputs");

    opa.failure = undefined;
    expect((await podsAs(alice)).totalCount).toBeGreaterThan(0);
  });

  it("refuses the request with FORBIDDEN when the policy service does not answer in time", async () => {
    opa.delayMs = 1_000;
    const started = Date.now();
    const answer = await graphqlAt(gateway.base, PODS, { token: alice });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(answer.body.errors?.[0]?.message).toContain("policy service unavailable: timed out after 300 ms");
  });

  it("viewer.can asks the allow decision with the subject, action and resource, and shows its reason", async () => {
    const pod = fleet.clusters[0]!.store.all(POD, granted)[0]!.metadata.name!;
    const question = (verb: string) =>
      `can(verb: "${verb}", resource: "pods", cluster: "${cluster}", namespace: "${granted}", name: "${pod}") { allowed reason }`;
    const before = opa.received.length;
    const answer = await graphqlAt(
      gateway.base,
      `{ viewer { remove: ${question("delete")} read: ${question("get")} } }`,
      { token: alice },
    );
    expect(answer.body.errors).toBeUndefined();
    const viewer = answer.body.data!.viewer as Record<string, { allowed: boolean; reason: string | null }>;
    expect(viewer.remove).toEqual({ allowed: false, reason: expect.stringContaining(PROTECTED) as string });
    expect(viewer.read!.allowed).toBe(true);

    const asked = opa.received.slice(before).filter((q) => q.path === "fleetgraph/allow");
    const resource = { cluster, namespace: granted, group: "", kind: "Pod", name: pod };
    expect(asked.map((q) => q.input)).toEqual(
      expect.arrayContaining([
        {
          subject: { user: "alice", groups: ["workspace:retail"] },
          action: "delete",
          resource,
          request: { resource: "pods" },
        },
        {
          subject: { user: "alice", groups: ["workspace:retail"] },
          action: "get",
          resource,
          request: { resource: "pods" },
        },
      ]),
    );
    expect(asked).toHaveLength(2);
  });
});
