import { describe, expect, it } from "vitest";
import { StatusError } from "../../sim/errors.js";
import {
  bootstrapRbac,
  createAuthenticator,
  createRbacAuthorizer,
  type SimUser,
} from "../../sim/auth/index.js";
import {
  bindCluster,
  bindNamespace,
  createClusterRole,
  resourceRequest,
  storeWithNamespaces,
  subject,
} from "./auth-fixtures.js";

const USERS: SimUser[] = [
  { name: "admin", groups: ["system:masters"], token: "admin-token" },
  { name: "alice", groups: [], token: "alice-token" },
  { name: "bob", groups: ["devs"], token: "bob-token" },
  { name: "carol", groups: ["support"], token: "carol-token" },
];

function setup() {
  const store = storeWithNamespaces("team-a", "team-b");
  bootstrapRbac(store);
  bindNamespace(store, "team-a", "devs-edit", { kind: "ClusterRole", name: "edit" }, [
    subject("Group", "devs"),
  ]);
  // carol may impersonate the user bob and the group devs, nothing else.
  createClusterRole(store, "support-impersonation", [
    { verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["bob"] },
    { verbs: ["impersonate"], apiGroups: [""], resources: ["groups"], resourceNames: ["devs"] },
  ]);
  bindCluster(store, "support-impersonation", "support-impersonation", [subject("Group", "support")]);
  const authorize = createRbacAuthorizer(store);
  return { store, authorize, authenticate: createAuthenticator({ users: USERS, authorize }) };
}

function asStatus(result: unknown) {
  expect(result).toBeInstanceOf(StatusError);
  return (result as StatusError).toStatus();
}

describe("bearer token authentication", () => {
  it("maps a known token to its user, adding system:authenticated", () => {
    const { authenticate } = setup();
    expect(authenticate({ authorization: "Bearer bob-token" })).toEqual({
      username: "bob",
      groups: ["devs", "system:authenticated"],
    });
    // Header names are case-insensitive, and so is the scheme.
    expect(authenticate({ Authorization: "bearer alice-token" })).toEqual({
      username: "alice",
      groups: ["system:authenticated"],
    });
  });

  it("answers 401 Unauthorized without a valid token (anonymous access is disabled)", () => {
    const { authenticate } = setup();
    for (const headers of [
      {},
      { authorization: "Bearer nope" },
      { authorization: "Basic YWxpY2U6cHc=" },
      { authorization: "Bearer" },
      { authorization: "alice-token" },
    ]) {
      const status = asStatus(authenticate(headers));
      expect(status).toMatchObject({
        code: 401,
        reason: "Unauthorized",
        message: "Unauthorized",
        status: "Failure",
      });
    }
  });

  it("refuses two users with one token", () => {
    expect(() =>
      createAuthenticator({
        users: [
          { name: "a", groups: [], token: "t" },
          { name: "b", groups: [], token: "t" },
        ],
        authorize: () => ({ allowed: true, reason: "" }),
      }),
    ).toThrow(/share a bearer token/);
  });
});

describe("impersonation", () => {
  it("lets an allowed user act as another, who is then authorised as itself", () => {
    const { authenticate, authorize } = setup();
    const bob = authenticate({ authorization: "Bearer admin-token", "impersonate-user": "bob" });
    expect(bob).toEqual({ username: "bob", groups: ["system:authenticated"] });
    // Impersonating only the user does not bring the user's own groups along.
    const asBob = bob as Exclude<typeof bob, StatusError>;
    expect(authorize(resourceRequest(asBob, "create", "pods", { namespace: "team-a" })).allowed).toBe(false);
    const withGroup = authenticate({
      authorization: "Bearer admin-token",
      "impersonate-user": "bob",
      "impersonate-group": "devs",
    }) as Exclude<typeof bob, StatusError>;
    expect(withGroup.groups).toEqual(["devs", "system:authenticated"]);
    expect(authorize(resourceRequest(withGroup, "create", "pods", { namespace: "team-a" })).allowed).toBe(
      true,
    );
  });

  it("answers 403 with the real message when impersonation is not allowed", () => {
    const { authenticate } = setup();
    const status = asStatus(authenticate({ authorization: "Bearer alice-token", "Impersonate-User": "bob" }));
    expect(status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: "Forbidden",
      details: { name: "bob", kind: "users" },
      code: 403,
    });
  });

  it("checks every impersonated part against RBAC, resourceNames included", () => {
    const { authenticate } = setup();
    const carol = { authorization: "Bearer carol-token" };
    expect(authenticate({ ...carol, "impersonate-user": "bob", "impersonate-group": "devs" })).toEqual({
      username: "bob",
      groups: ["devs", "system:authenticated"],
    });
    expect(asStatus(authenticate({ ...carol, "impersonate-user": "eve" })).message).toBe(
      'users "eve" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(
      asStatus(authenticate({ ...carol, "impersonate-user": "bob", "impersonate-group": ["devs", "ops"] }))
        .message,
    ).toBe(
      'groups "ops" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    expect(
      asStatus(authenticate({ ...carol, "impersonate-user": "bob", "impersonate-uid": "1234" })),
    ).toMatchObject({
      code: 403,
      message:
        'uids.authentication.k8s.io "1234" is forbidden: User "carol" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
      details: { name: "1234", group: "authentication.k8s.io", kind: "uids" },
    });
    expect(
      asStatus(authenticate({ ...carol, "impersonate-user": "bob", "impersonate-extra-scopes": "view" }))
        .message,
    ).toBe(
      'userextras.authentication.k8s.io "view" is forbidden: User "carol" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it("impersonates service accounts through the serviceaccounts resource in their namespace", () => {
    const { authenticate } = setup();
    // edit (bob, via group devs, in team-a) includes impersonate on serviceaccounts.
    const bob = { authorization: "Bearer bob-token" };
    expect(authenticate({ ...bob, "impersonate-user": "system:serviceaccount:team-a:builder" })).toEqual({
      username: "system:serviceaccount:team-a:builder",
      groups: ["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"],
    });
    expect(
      asStatus(authenticate({ ...bob, "impersonate-user": "system:serviceaccount:team-b:builder" })),
    ).toMatchObject({
      code: 403,
      message:
        'serviceaccounts "builder" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team-b"',
    });
    // A malformed service account name is an ordinary user name, checked against users.
    expect(
      asStatus(authenticate({ ...bob, "impersonate-user": "system:serviceaccount:Team-A:x" })).message,
    ).toContain('cannot impersonate resource "users"');
  });

  it("accepts several groups as repeated headers or as one comma-joined value", () => {
    const { authenticate } = setup();
    const admin = { authorization: "Bearer admin-token", "impersonate-user": "bob" };
    const expected = { username: "bob", groups: ["devs", "ops", "system:authenticated"] };
    expect(authenticate({ ...admin, "impersonate-group": ["devs", "ops"] })).toEqual(expected);
    expect(authenticate({ ...admin, "impersonate-group": "devs, ops" })).toEqual(expected);
    expect(authenticate({ ...admin, "impersonate-group": ["devs", "ops", "system:authenticated"] })).toEqual(
      expected,
    );
  });

  it("carries uid and extras (keys lower-cased and percent-decoded)", () => {
    const { authenticate } = setup();
    expect(
      authenticate({
        authorization: "Bearer admin-token",
        "impersonate-user": "bob",
        "impersonate-uid": "u-1",
        "Impersonate-Extra-Scopes": ["view", "edit"],
        "impersonate-extra-example.com%2fteam": "blue",
      }),
    ).toEqual({
      username: "bob",
      groups: ["system:authenticated"],
      uid: "u-1",
      extra: { scopes: ["view", "edit"], "example.com/team": ["blue"] },
    });
  });

  it("answers 400 for groups, uid or extras without a user to impersonate", () => {
    const { authenticate } = setup();
    const admin = { authorization: "Bearer admin-token" };
    expect(asStatus(authenticate({ ...admin, "impersonate-group": "devs" }))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "requested [{Group  devs    }] without impersonating a user",
      reason: "BadRequest",
      code: 400,
    });
    expect(
      asStatus(authenticate({ ...admin, "impersonate-group": ["a", "b"], "impersonate-uid": "7" })).message,
    ).toBe(
      "requested [{Group  a    } {Group  b    } {UID  7  authentication.k8s.io/v1  }] without impersonating a user",
    );
    expect(asStatus(authenticate({ ...admin, "impersonate-extra-scopes": "x" })).message).toBe(
      "requested [{UserExtra  x  authentication.k8s.io/v1  scopes}] without impersonating a user",
    );
    // The check comes before authorisation: even a user who may impersonate nothing gets 400.
    expect(
      asStatus(authenticate({ authorization: "Bearer alice-token", "impersonate-group": "devs" })).code,
    ).toBe(400);
  });
});
