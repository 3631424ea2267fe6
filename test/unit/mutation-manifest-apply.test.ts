/**
 * manifestApply's call, against a connection that stands in for one API server: an apply that
 * would create the object is also a create, which the gateway's access must allow.
 */
import { describe, expect, it } from "vitest";
import type { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { ClusterError } from "../../src/fleet/errors.js";
import type { KubeObject } from "../../src/kube/object.js";
import { applyOperation } from "../../src/mutations/manifest-apply.js";
import { gatewayAccess } from "../../src/mutations/run.js";
import type { MutationTarget } from "../../src/mutations/targets.js";
import type { AccessQuestion } from "../../src/request/access.js";

const target: MutationTarget = {
  cluster: "c1",
  apiVersion: "v1",
  kind: "ConfigMap",
  path: { prefix: "/api/v1", plural: "configmaps", namespaced: true },
  group: "",
  namespace: "team-a",
  name: "settings",
  id: null,
  cached: undefined,
  entry: undefined,
  problem: undefined,
};
const config: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" } };

/** One API server holding `existing` (or nothing); GETs answer 404 or `readStatus` when set. */
function server(existing: KubeObject | undefined, readStatus?: number) {
  const writes: string[] = [];
  const refusal = (status: number) =>
    new ClusterError("CLUSTER_ERROR", "c1", false, "no", { httpStatus: status });
  const connection = {
    request: (): Promise<KubeObject> => {
      if (readStatus !== undefined) return Promise.reject(refusal(readStatus));
      return existing ? Promise.resolve(existing) : Promise.reject(refusal(404));
    },
    write: (_init: unknown, path: string): Promise<KubeObject> => {
      writes.push(path);
      return Promise.resolve({ ...config, metadata: { name: "settings", resourceVersion: "2" } });
    },
  } as unknown as ClusterConnection;
  return { connection, writes };
}

function withAccess(allowed: (q: AccessQuestion) => boolean) {
  const asked: string[] = [];
  const operation = applyOperation("manifest.apply", {
    fieldManager: "fleetgraph",
    force: false,
    dryRun: false,
    configOf: () => config,
  });
  // The pipeline's own way of asking the gateway, over a recording access.
  const gateway = gatewayAccess({
    can: (q) => {
      asked.push(`${q.verb} ${q.resource} ${q.namespace}/${q.name} ${q.decidedByCluster}`);
      return Promise.resolve(
        allowed(q) ? { allowed: true } : { allowed: false, reason: `gateway: no ${q.verb}` },
      );
    },
  });
  return { operation, gateway, asked };
}

describe("applyOperation: an apply that creates is a create", () => {
  it("asks the gateway `create` when the object does not exist, and refuses without calling", async () => {
    const { connection, writes } = server(undefined);
    const { operation, gateway, asked } = withAccess((q) => q.verb !== "create");
    const outcome = await operation.apply(connection, target, {}, gateway);
    expect(asked).toEqual(["create configmaps team-a/settings true"]);
    expect([outcome.status, outcome.error?.message]).toEqual(["FORBIDDEN", "gateway: no create"]);
    expect(writes).toEqual([]);
  });

  it("applies once `create` is allowed too", async () => {
    const { connection, writes } = server(undefined);
    const { operation, gateway } = withAccess(() => true);
    expect((await operation.apply(connection, target, {}, gateway)).status).toBe("APPLIED");
    expect(writes).toHaveLength(1);
  });

  it("asks nothing more for an object that exists: the apply is an update, `patch` covers it", async () => {
    const { connection, writes } = server({
      ...config,
      metadata: { name: "settings", resourceVersion: "1" },
    });
    const { operation, gateway, asked } = withAccess((q) => q.verb !== "create");
    expect((await operation.apply(connection, target, {}, gateway)).status).toBe("APPLIED");
    expect([asked, writes.length]).toEqual([[], 1]);
  });

  it("asks `create` when the object cannot be read (it may not exist)", async () => {
    const { connection, writes } = server(undefined, 403);
    const { operation, gateway, asked } = withAccess((q) => q.verb !== "create");
    expect((await operation.apply(connection, target, {}, gateway)).status).toBe("FORBIDDEN");
    expect([asked.length, writes.length]).toEqual([1, 0]);
  });
});
