/**
 * OpaPolicySource against an HTTP server that follows OPA's Data API (test/support/opa-server.ts):
 * the documents sent, both entry points' answers, and failing closed on errors, deadlines,
 * undefined and malformed decisions. The scope cache: one query per subject within cacheSeconds.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpaPolicySource } from "../../auth/access/opa-policy.js";
import type { OpaPolicyOptions } from "../../auth/access/opa-policy.js";
import { PolicyUnavailableError } from "../../auth/access/policy-errors.js";
import type { PolicyInput } from "../../auth/access/policy-source.js";
import type { Subject } from "../../auth/subject.js";
import { OpaTestServer } from "../support/opa-server.js";
import type { Decision } from "../support/opa-server.js";

const SCOPE = "fleetgraph/scope";
const ALLOW = "fleetgraph/allow";

const alice: Subject = {
  user: "alice",
  groups: ["payments-devs", "oncall"],
  source: "session",
  tokenId: "session-123",
  expiresAt: 2_000_000_000,
};

const decisions: Record<string, Decision> = {};
let opa: OpaTestServer;

beforeAll(async () => {
  opa = await OpaTestServer.start({ decisions });
});

afterAll(async () => {
  await opa?.close();
});

beforeEach(() => {
  opa.received.length = 0;
  opa.delayMs = 0;
  opa.failure = undefined;
  // Grants that depend on the input, so a wrong input document gives a wrong answer.
  decisions[SCOPE] = (input) => {
    const { subject } = input as { subject: { user: string; groups: string[] } };
    return {
      grants: subject.groups.map((g) => ({ cluster: `${g}-cluster`, namespaces: [subject.user] })),
    };
  };
  decisions[ALLOW] = (input) => (input as PolicyInput).action === "get";
});

function source(options: Partial<OpaPolicyOptions> = {}): OpaPolicySource {
  return new OpaPolicySource({ url: opa.url, ...options });
}

const readPod: PolicyInput = {
  subject: alice,
  action: "get",
  resource: { cluster: "prod-eu", namespace: "payments", group: "", kind: "Pod", name: "api-0" },
};

describe("the scope entry point", () => {
  it("sends only the subject's user and groups, and returns the grants OPA computed from them", async () => {
    const grants = await source().grants(alice);

    expect(opa.received).toEqual([
      {
        path: SCOPE,
        input: { subject: { user: "alice", groups: ["payments-devs", "oncall"] } },
        query: {},
      },
    ]);
    expect(grants).toEqual([
      { cluster: "payments-devs-cluster", namespaces: ["alice"] },
      { cluster: "oncall-cluster", namespaces: ["alice"] },
    ]);
  });

  it("passes `kinds` and `clusterKinds` through, and answers `everything`", async () => {
    decisions[SCOPE] = () => ({
      grants: [{ cluster: "*", namespaces: "*", kinds: ["Pod", "Event"], clusterKinds: ["Node"] }],
    });
    expect(await source().grants(alice)).toEqual([
      { cluster: "*", namespaces: "*", kinds: ["Pod", "Event"], clusterKinds: ["Node"] },
    ]);

    decisions[SCOPE] = () => ({ everything: true });
    expect(await source().grants(alice)).toBe("everything");
  });

  it("queries the configured path", async () => {
    decisions["acme/fleet/scope"] = () => ({ grants: [] });
    expect(await source({ scopePath: "/acme/fleet/scope/" }).grants(alice)).toEqual([]);
    expect(opa.received.map((q) => q.path)).toEqual(["acme/fleet/scope"]);
  });
});

describe("the allow entry point", () => {
  it("sends subject, action, resource and request exactly, and allows on `true`", async () => {
    const input: PolicyInput = { ...readPod, request: { operation: "podLogs", tailLines: 50 } };

    expect(await source().allow(input)).toEqual({ allowed: true });
    expect(opa.inputsTo(ALLOW)).toEqual([
      {
        subject: { user: "alice", groups: ["payments-devs", "oncall"] },
        action: "get",
        resource: { cluster: "prod-eu", namespace: "payments", group: "", kind: "Pod", name: "api-0" },
        request: { operation: "podLogs", tailLines: 50 },
      },
    ]);
  });

  it("denies on `false`, naming the policy", async () => {
    expect(await source().allow({ ...readPod, action: "delete" })).toEqual({
      allowed: false,
      reason: "denied by policy fleetgraph/allow",
    });
  });

  it("takes `{allowed, reason}` answers as they are", async () => {
    decisions[ALLOW] = (input) => {
      const { resource } = input as PolicyInput;
      return resource.namespace === "payments"
        ? { allowed: false, reason: `namespace ${resource.namespace} is protected` }
        : { allowed: true };
    };
    expect(await source().allow(readPod)).toEqual({
      allowed: false,
      reason: "namespace payments is protected",
    });
    expect(await source().allow({ ...readPod, resource: { cluster: "prod-eu", namespace: "web" } })).toEqual({
      allowed: true,
    });
  });
});

describe("failing closed", () => {
  it("denies when OPA answers 500, quoting OPA's error", async () => {
    opa.failure = "eval_conflict_error: complete rules must not produce multiple outputs";
    const decision = await source().allow(readPod);

    expect(decision).toEqual({
      allowed: false,
      reason:
        "policy service failed (server error) at fleetgraph/allow: internal_error: eval_conflict_error: complete rules must not produce multiple outputs",
    });
    await expect(source().grants(alice)).rejects.toMatchObject({
      name: "PolicyUnavailableError",
      failure: "error-status",
      policy: SCOPE,
      extensions: { code: "FORBIDDEN", failure: "error-status", policy: SCOPE },
    });
  });

  it("denies when OPA does not answer within the deadline, and does not wait longer", async () => {
    opa.delayMs = 1500;
    const started = performance.now();
    const decision = await source({ timeoutMs: 150 }).allow(readPod);
    const elapsed = performance.now() - started;

    expect(decision).toEqual({
      allowed: false,
      reason: "policy service unavailable: timed out after 150 ms",
    });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
    const failure = await source({ timeoutMs: 150 })
      .grants(alice)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PolicyUnavailableError);
    expect(failure).toMatchObject({ failure: "timeout" });
  });

  it("waits for a slow answer that arrives within the deadline", async () => {
    opa.delayMs = 200;
    const started = performance.now();
    expect(await source({ timeoutMs: 2000 }).allow(readPod)).toEqual({ allowed: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("denies an undefined decision (200 without `result`)", async () => {
    delete decisions[ALLOW];
    delete decisions[SCOPE];

    expect(await source().allow(readPod)).toEqual({
      allowed: false,
      reason:
        "policy service has no decision: fleetgraph/allow is undefined for this input (is the policy loaded?)",
    });
    await expect(source().grants(alice)).rejects.toMatchObject({ failure: "undefined", policy: SCOPE });
    expect(opa.received.map((q) => q.path)).toEqual([ALLOW, SCOPE]);
  });

  it("denies malformed answers, naming the field at fault", async () => {
    decisions[ALLOW] = () => "yes";
    decisions[SCOPE] = () => ({ grants: [{ cluster: "prod-eu", namespaces: "all" }] });

    const decision = await source().allow(readPod);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/^policy service answered a malformed decision at fleetgraph\/allow: /);
    await expect(source().grants(alice)).rejects.toThrow(
      /^policy service answered a malformed decision at fleetgraph\/scope: grants\[0\]\.namespaces: /,
    );

    decisions[SCOPE] = () => ({ everything: true, grants: [] });
    await expect(source().grants(alice)).rejects.toThrow(/malformed decision at fleetgraph\/scope/);
    decisions[SCOPE] = () => ({ everything: false });
    await expect(source().grants(alice)).rejects.toThrow(
      /malformed decision at fleetgraph\/scope: everything: /,
    );
  });

  it("denies when nothing listens at the URL", async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const decision = await new OpaPolicySource({ url }).allow(readPod);
    expect(decision).toEqual({
      allowed: false,
      reason: `policy service unavailable: cannot connect to ${url}`,
    });
  });
});

describe("the scope cache", () => {
  it("asks once per subject within cacheSeconds, whatever the order of its groups", async () => {
    const opaSource = source({ cacheSeconds: 10 });
    const first = await opaSource.grants(alice);
    const second = await opaSource.grants({ ...alice, groups: ["oncall", "payments-devs"] });

    expect(opa.received).toHaveLength(1);
    expect(second).toBe(first);
    await opaSource.grants({ ...alice, user: "bob" });
    expect(opa.inputsTo(SCOPE)).toEqual([
      { subject: { user: "alice", groups: ["payments-devs", "oncall"] } },
      { subject: { user: "bob", groups: ["payments-devs", "oncall"] } },
    ]);
  });

  it("shares one query among concurrent calls for the same subject", async () => {
    opa.delayMs = 100;
    const opaSource = source({ cacheSeconds: 0 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => opaSource.grants(alice)));

    expect(opa.received).toHaveLength(1);
    expect(new Set(answers).size).toBe(1);
    // With cacheSeconds 0 nothing is kept once answered.
    await opaSource.grants(alice);
    expect(opa.received).toHaveLength(2);
  });

  it("asks again once cacheSeconds have passed", async () => {
    const opaSource = source({ cacheSeconds: 0.2 });
    await opaSource.grants(alice);
    await opaSource.grants(alice);
    expect(opa.received).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await opaSource.grants(alice);
    expect(opa.received).toHaveLength(2);
  });

  it("does not remember failures", async () => {
    const opaSource = source();
    opa.failure = "storage unavailable";
    await expect(opaSource.grants(alice)).rejects.toBeInstanceOf(PolicyUnavailableError);
    opa.failure = undefined;
    expect(await opaSource.grants(alice)).toHaveLength(2);
    expect(opa.received).toHaveLength(2);
  });

  it("never caches allow decisions", async () => {
    const opaSource = source();
    await opaSource.allow(readPod);
    await opaSource.allow(readPod);
    expect(opa.inputsTo(ALLOW)).toHaveLength(2);
  });
});

describe("a token-protected OPA", () => {
  let guarded: OpaTestServer;

  beforeAll(async () => {
    guarded = await OpaTestServer.start({ decisions: { [ALLOW]: () => true }, token: "s3cret" });
  });

  afterAll(async () => {
    await guarded?.close();
  });

  it("is sent the bearer token", async () => {
    const decision = await new OpaPolicySource({ url: guarded.url, token: "s3cret" }).allow(readPod);
    expect(decision).toEqual({ allowed: true });
    expect(guarded.received.at(-1)?.authorization).toBe("Bearer s3cret");
  });

  it("refuses a gateway without the token, and access denies", async () => {
    const decision = await new OpaPolicySource({ url: guarded.url }).allow(readPod);
    expect(decision).toEqual({
      allowed: false,
      reason: "policy service failed at fleetgraph/allow: HTTP 401",
    });
  });
});

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
