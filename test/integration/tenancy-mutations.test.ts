/**
 * The tenancy mutations through a gateway with authentication on: API tokens created, used (their
 * limits applied), listed and revoked; role bindings made by a workspace admin changing what
 * another user sees — never beyond the cluster's RBAC — and refused where the maker has no
 * authority.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

let fixture: AuthGateway;

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "tenancy-mutations",
    users: ["admin", "alice", "bob", "mallory"],
  });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

interface Pods {
  pods: { totalCount: number; nodes: { namespaceName: string; clusterName: string }[] };
}
const PODS = `query ($ns: [String!]) { pods(first: 500, filter: { namespaces: $ns }) { totalCount nodes { namespaceName clusterName } } }`;

async function withToken<D>(
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<D>> {
  const response = await fetch(`${fixture.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<D>, "status">) };
}

describe("API tokens", () => {
  it("alice creates a token limited to one namespace: it reads only that, is listed without its secret, and stops working when revoked", async () => {
    const created = await fixture.query<{
      apiTokenCreate: {
        token: string | null;
        apiToken: { id: string; roles: unknown } | null;
        userErrors: unknown[];
      };
    }>(
      "alice",
      `mutation { apiTokenCreate(input: { name: "payments-report", roles: [{ role: VIEWER, namespace: "payments" }] }) {
         token apiToken { id name owner roles { role namespace } } userErrors { field message code } } }`,
    );
    expect(created.errors).toBeUndefined();
    const payload = created.data!.apiTokenCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.token).toMatch(/^fgt_/);
    const secret = payload.token!;

    const asToken = await withToken<Pods & { viewer: { user: string; authenticatedBy: string } }>(
      secret,
      `{ viewer { user authenticatedBy } pods(first: 500) { totalCount nodes { namespaceName clusterName } } }`,
    );
    expect(asToken.status).toBe(200);
    expect(asToken.data!.viewer).toEqual({ user: "alice", authenticatedBy: "API_TOKEN" });
    expect(asToken.data!.pods.totalCount).toBeGreaterThan(0);
    expect(new Set(asToken.data!.pods.nodes.map((p) => p.namespaceName))).toEqual(new Set(["payments"]));
    // alice herself sees more than her limited token.
    const asAlice = await fixture.query<Pods>("alice", PODS);
    expect(asAlice.data!.pods.totalCount).toBeGreaterThan(asToken.data!.pods.totalCount);

    // Listed for alice without the secret; an API token cannot mint another.
    const listed = await fixture.query<{ viewer: { apiTokens: { id: string; name: string }[] } }>(
      "alice",
      "{ viewer { apiTokens { id name } } }",
    );
    expect(listed.data!.viewer.apiTokens).toEqual([{ id: payload.apiToken!.id, name: "payments-report" }]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const chained = await withToken<{
      apiTokenCreate: { token: string | null; userErrors: { code: string }[] };
    }>(secret, `mutation { apiTokenCreate(input: { name: "chain" }) { token userErrors { code } } }`);
    expect(chained.data!.apiTokenCreate).toEqual({ token: null, userErrors: [{ code: "FORBIDDEN" }] });

    // bob cannot revoke it, nor learn it exists; alice can.
    const byBob = await fixture.query<{
      apiTokenRevoke: { revokedApiTokenId: string | null; userErrors: { code: string }[] };
    }>(
      "bob",
      `mutation ($id: ID!) { apiTokenRevoke(input: { id: $id }) { revokedApiTokenId userErrors { code } } }`,
      { id: payload.apiToken!.id },
    );
    expect(byBob.data!.apiTokenRevoke).toEqual({
      revokedApiTokenId: null,
      userErrors: [{ code: "NOT_FOUND" }],
    });
    const revoked = await fixture.query<{ apiTokenRevoke: { revokedApiTokenId: string | null } }>(
      "alice",
      `mutation ($id: ID!) { apiTokenRevoke(input: { id: $id }) { revokedApiTokenId userErrors { code } } }`,
      { id: payload.apiToken!.id },
    );
    expect(revoked.data!.apiTokenRevoke.revokedApiTokenId).toBe(payload.apiToken!.id);
    const after = await withToken(secret, "{ viewer { user } }");
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  }, 30_000);
});

describe("role bindings", () => {
  const cluster = () => fixture.sim.clusters[0]!.name;

  async function bobsPaymentsPods(): Promise<number> {
    const answer = await fixture.query<Pods>("bob", PODS, { ns: ["payments"] });
    expect(answer.errors).toBeUndefined();
    return answer.data!.pods.totalCount;
  }

  it("a workspace admin's binding shows bob the workspace only where the cluster's RBAC also lets him read", async () => {
    expect(await bobsPaymentsPods()).toBe(0);

    const made = await fixture.query<{
      roleBindingCreate: {
        roleBinding: { id: string; role: string; source: string; createdBy: string } | null;
        userErrors: unknown[];
      };
    }>(
      "alice",
      `mutation { roleBindingCreate(input: { role: WORKSPACE_VIEWER, workspace: "retail", users: ["bob"] }) {
         roleBinding { id role source createdBy } userErrors { field message code } } }`,
    );
    expect(made.data!.roleBindingCreate.userErrors).toEqual([]);
    expect(made.data!.roleBindingCreate.roleBinding).toMatchObject({
      role: "WORKSPACE_VIEWER",
      source: "MUTATION",
      createdBy: "alice",
    });

    // The gateway's role alone is not enough: no cluster lets bob read payments yet.
    const roles = await fixture.query<{ viewer: { roles: { role: string; workspace: string | null }[] } }>(
      "bob",
      "{ viewer { roles { role workspace } } }",
    );
    expect(roles.data!.viewer.roles).toContainEqual({ role: "WORKSPACE_VIEWER", workspace: "retail" });
    expect(await bobsPaymentsPods()).toBe(0);

    // One cluster's RBAC lets him: he sees payments there, and only there.
    const rb = await kubectl(fixture.sim.kubeconfigPath, [
      `--context=${cluster()}`,
      "create",
      "rolebinding",
      "bob-view-payments",
      "--clusterrole=view",
      "--user=bob",
      "-n",
      "payments",
    ]);
    expect(rb.code, rb.stderr).toBe(0);
    const pods = await eventually(
      async () => {
        const answer = await fixture.query<Pods>("bob", PODS, { ns: ["payments"] });
        expect(answer.data!.pods.totalCount).toBeGreaterThan(0);
        return answer.data!.pods.nodes;
      },
      5_000,
      100,
    );
    expect(new Set(pods.map((p) => p.clusterName))).toEqual(new Set([cluster()]));

    // Deleting the binding takes it away again.
    const deleted = await fixture.query<{ roleBindingDelete: { deletedRoleBindingId: string | null } }>(
      "alice",
      `mutation ($id: ID!) { roleBindingDelete(input: { id: $id }) { deletedRoleBindingId userErrors { code } } }`,
      { id: made.data!.roleBindingCreate.roleBinding!.id },
    );
    expect(deleted.data!.roleBindingDelete.deletedRoleBindingId).toBe(
      made.data!.roleBindingCreate.roleBinding!.id,
    );
    await eventually(async () => expect(await bobsPaymentsPods()).toBe(0), 5_000, 100);
  }, 60_000);

  it("refuses bindings beyond the maker's authority, as userErrors", async () => {
    const refused = await fixture.query<{
      roleBindingCreate: { roleBinding: unknown; userErrors: { code: string; message: string }[] };
    }>(
      "alice",
      `mutation { roleBindingCreate(input: { role: CLUSTER_ADMIN, cluster: "*", users: ["alice"] }) { roleBinding { id } userErrors { code message } } }`,
    );
    expect(refused.data!.roleBindingCreate.roleBinding).toBeNull();
    expect(refused.data!.roleBindingCreate.userErrors).toEqual([
      {
        code: "FORBIDDEN",
        message: expect.stringMatching(/^you may not manage bindings of cluster-admin/) as string,
      },
    ]);
    const byMallory = await fixture.query<{ roleBindingCreate: { userErrors: { code: string }[] } }>(
      "mallory",
      `mutation { roleBindingCreate(input: { role: WORKSPACE_VIEWER, workspace: "retail", users: ["mallory"] }) { userErrors { code } } }`,
    );
    expect(byMallory.data!.roleBindingCreate.userErrors).toEqual([{ code: "FORBIDDEN" }]);
    const malformed = await fixture.query<{
      roleBindingCreate: { userErrors: { field: string[]; code: string }[] };
    }>(
      "admin",
      `mutation { roleBindingCreate(input: { role: VIEWER, users: ["bob"] }) { userErrors { field code } } }`,
    );
    expect(malformed.data!.roleBindingCreate.userErrors).toEqual([
      { field: ["input", "namespace"], code: "BAD_USER_INPUT" },
    ]);
    // What each may manage: the admin everything, alice her workspace's, mallory nothing.
    const list = async (user: string) =>
      (
        await fixture.query<{ roleBindings: { role: string; workspace: string | null }[] }>(
          user,
          "{ roleBindings { role workspace } }",
        )
      ).data!.roleBindings;
    expect((await list("admin")).length).toBeGreaterThan((await list("alice")).length);
    expect((await list("alice")).every((b) => b.workspace === "retail")).toBe(true);
    expect(await list("mallory")).toEqual([]);
  }, 30_000);
});
