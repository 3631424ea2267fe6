/**
 * What a deployment of the simulator (docker-compose.yml) reads from it: a kubeconfig carrying the
 * gateway's read-and-impersonate identity instead of the admin's, and the scrape targets as
 * Prometheus's HTTP service discovery asks for them.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startFleet, type SimFleet } from "../../sim/fleet.js";

let fleet: SimFleet;
const dir = mkdtempSync(join(tmpdir(), "fleetgraph-sim-deploy-"));

beforeAll(async () => {
  fleet = await startFleet({
    clusters: 2,
    nodes: 1,
    pods: 10,
    seed: "deploy-outputs",
    kubeconfigOut: join(dir, "kubeconfig"),
    kubeconfigUser: "fleetgraph-gateway",
  });
});

afterAll(async () => {
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronous: the simulated API servers answer from this very process.
const kubectl = async (...args: string[]) =>
  (await promisify(execFile)("kubectl", ["--kubeconfig", fleet.kubeconfigPath, ...args])).stdout.trim();

describe("a fleet deployed for a gateway", () => {
  it("writes the gateway user's token into the kubeconfig: it reads and impersonates, and may not write", async () => {
    const file = parse(readFileSync(fleet.kubeconfigPath, "utf8")) as {
      users: { name: string; user: { token: string } }[];
    };
    const token = fleet.user("fleetgraph-gateway").token;
    expect(file.users.map((u) => u.name)).toEqual(fleet.clusters.map((c) => `fleetgraph-gateway@${c.name}`));
    for (const u of file.users) expect(u.user.token).toBe(token);
    const context = fleet.clusters[1]!.name;
    expect(await kubectl("--context", context, "auth", "can-i", "watch", "pods", "-A")).toBe("yes");
    expect(await kubectl("--context", context, "auth", "can-i", "impersonate", "users")).toBe("yes");
    await expect(
      kubectl("--context", context, "auth", "can-i", "delete", "pods", "-A"),
    ).rejects.toMatchObject({ stdout: "no\n" });
  });

  it("serves the scrape targets for Prometheus's http_sd_configs, labelled by cluster", async () => {
    const res = await fetch(`${fleet.adminUrl}/targets.json?label=k8s_cluster`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(
      fleet.clusters.map((c) => ({
        targets: [new URL(fleet.metricsUrl(c.name)!).host],
        labels: { k8s_cluster: c.name },
      })),
    );
    expect((await fetch(`${fleet.adminUrl}/targets.json?label=__name__`)).status).toBe(400);
  });
});
