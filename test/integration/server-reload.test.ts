/**
 * The gateway following its config file: clusters added and removed when the file changes, a
 * broken edit ignored, and readiness that does not wait forever for a cluster that is down.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { baseUrl, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let dir: string;
let file: string;
let gateway: Gateway;
let names: string[];

function yaml(clusters: string[], extra = ""): string {
  const entries = clusters.map(
    (name) =>
      `  - name: ${name}\n    kubeconfig: { path: ${JSON.stringify(fleet.kubeconfigPath)}, context: ${name} }\n`,
  );
  return `clusters:\n${entries.join("")}${extra}`;
}

const clusterNames = async (): Promise<string[]> => {
  const r = await graphql<{ clusters: { nodes: { name: string }[] } }>(
    gateway.url,
    "{ clusters { nodes { name } } }",
  );
  return r.data!.clusters.nodes.map((c) => c.name);
};

beforeAll(async () => {
  fleet = await startSimFleet("server-reload", { clusters: 2, pods: 10 });
  names = fleet.clusters.map((c) => c.name).sort();
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-reload-"));
  file = join(dir, "fleetgraph.yaml");
  await writeFile(file, yaml([names[0]!]));
  gateway = await startTestGateway(resolveConfig({ configFile: file, env: { HOME: dir } }), {
    watchConfig: true,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("reload from the config file", () => {
  it("adds and removes clusters when the file changes, and ignores an edit that does not validate", async () => {
    expect(await clusterNames()).toEqual([names[0]]);

    await writeFile(file, yaml(names));
    await eventually(async () => (await clusterNames()).length === 2);
    expect(await clusterNames()).toEqual(names);

    await writeFile(file, "clusters:\n  - name: Not_A_Name\n");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await clusterNames()).toEqual(names);

    await writeFile(file, yaml([names[1]!]));
    await eventually(async () => (await clusterNames()).join() === names[1]);
    const pods = await graphql<{ pods: { outcomes: { clusterName: string }[] } }>(
      gateway.url,
      "{ pods { outcomes { clusterName } } }",
    );
    expect(pods.data!.pods.outcomes.map((c) => c.clusterName)).toEqual([names[1]]);
  });

  it("takes the file's query limits, and new ones on reload", async () => {
    const query = "{ pods(first: 100) { nodes { name } } }"; // 100 x 1 cluster x 2 = 200
    expect((await graphql(gateway.url, query)).errors).toBeUndefined();
    await writeFile(file, yaml([names[1]!], "limits: { maxCost: 150 }\n"));
    await eventually(
      async () => (await graphql(gateway.url, query)).errors?.[0]?.extensions?.code === "QUERY_TOO_COMPLEX",
    );
  });

  it("becomes ready when a cluster that is down has been given up on", async () => {
    const down = fleet.cluster(names[0]!);
    await down.goDown();
    try {
      await writeFile(file, yaml(names));
      await eventually(async () => (await clusterNames()).length === 2);
      const ready = await eventually(async () => {
        const r = await fetch(`${baseUrl(gateway)}/readyz`);
        return r.status === 200;
      }, 20_000);
      expect(ready).toBe(true);
      const report = await gateway.fleetCache.whenSynced(0);
      expect(report.gaveUp).toEqual([down.name]);
    } finally {
      await down.comeBack();
    }
  });
});
