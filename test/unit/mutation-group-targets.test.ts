/** groupTargets: fleet workload ids expanded to their readable instances, with the checks ids get. */
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import { DAEMON_SET, DEPLOYMENT, STATEFUL_SET } from "../../src/kinds/index.js";
import { groupTargets } from "../../src/mutations/group-targets.js";
import { fleetWorkloadId, objectId, type FleetWorkloadKey } from "../../src/query-service/index.js";

const KEY: FleetWorkloadKey = { by: "name", namespace: "shop", kind: "Deployment", name: "web" };
const SCALABLE = [DEPLOYMENT, STATEFUL_SET];

function instance(cluster: string): CacheEntry {
  return {
    cluster,
    kind: "Deployment",
    uid: `${cluster}-web`,
    namespace: "shop",
    name: "web",
    created: 0,
    resourceVersion: "1",
    labels: {},
    owner: undefined,
    data: {},
  };
}

const readable = (clusters: string[]) => (key: FleetWorkloadKey) =>
  key.name === "web" ? clusters.map(instance) : undefined;

describe("groupTargets", () => {
  it("expands a group to one target per readable instance, with the instances' ids", () => {
    const { targets, userErrors } = groupTargets(
      [fleetWorkloadId(KEY), fleetWorkloadId(KEY)],
      SCALABLE,
      readable(["a", "b"]),
      "workloadScale",
      10,
    );
    expect(userErrors).toEqual([]);
    expect(targets.map((t) => [t.cluster, t.kind, t.namespace, t.name, t.id])).toEqual([
      ["a", "Deployment", "shop", "web", objectId("Deployment", "a", "a-web")],
      ["b", "Deployment", "shop", "web", objectId("Deployment", "b", "b-web")],
    ]);
  });

  it("refuses, naming the input, what is not a group, a group of another kind, or one with nothing readable", () => {
    const daemons = fleetWorkloadId({ ...KEY, kind: "DaemonSet" });
    const gone = fleetWorkloadId({ ...KEY, name: "gone" });
    const { targets, userErrors } = groupTargets(
      [objectId("Deployment", "a", "a-web"), daemons, gone, "not-an-id!"],
      SCALABLE,
      readable(["a"]),
      "workloadScale",
      10,
    );
    expect(targets).toEqual([]);
    expect(userErrors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["input.groups.0", "BAD_USER_INPUT"],
      ["input.groups.1", "BAD_USER_INPUT"],
      ["input.groups.2", "BAD_USER_INPUT"],
      ["input.groups.3", "BAD_USER_INPUT"],
    ]);
    expect(userErrors[1]!.message).toMatch(/acts on Deployment, StatefulSet; this group is of DaemonSets/);
    // The same group is fine for a mutation that acts on its kind.
    const restart = groupTargets([daemons], [DAEMON_SET], readable(["a"]), "workloadRestart", 10);
    expect(restart.userErrors).toEqual([]);
    expect(restart.targets.map((t) => t.kind)).toEqual(["DaemonSet"]);
  });

  it("counts the instances against the target limit, refusing the whole selection", () => {
    const { targets, userErrors } = groupTargets(
      [fleetWorkloadId(KEY)],
      SCALABLE,
      readable(["a", "b", "c"]),
      "workloadScale",
      2,
    );
    expect(targets).toEqual([]);
    expect(userErrors).toEqual([
      expect.objectContaining({ field: ["input", "groups"], code: "LIMIT_EXCEEDED" }),
    ]);
  });
});
