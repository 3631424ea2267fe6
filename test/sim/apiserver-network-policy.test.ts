/** NetworkPolicy (networking.k8s.io/v1) as kubectl sees it: discovery, defaulting, the table. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { kubectl } from "../support/kubectl.js";

let fleet: SimFleet;
beforeAll(async () => {
  fleet = await startFleet({ clusters: 1, nodes: 1, pods: 5, seed: "netpol" });
});
afterAll(() => fleet?.stop());

const policy = (name: string, spec: object) =>
  JSON.stringify({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: "default" },
    spec,
  });

async function create(body: string) {
  const file = join(await mkdtemp(join(tmpdir(), "netpol-")), "policy.json");
  await writeFile(file, body);
  return kubectl(fleet.kubeconfigPath, ["create", "-f", file, "-o", "json"]);
}

describe("NetworkPolicy in the simulator", () => {
  it("is discovered with its short name", async () => {
    const out = await kubectl(fleet.kubeconfigPath, [
      "api-resources",
      "--api-group=networking.k8s.io",
      "--no-headers",
    ]);
    expect(out.stdout).toMatch(
      /^networkpolicies\s+netpol\s+networking\.k8s\.io\/v1\s+true\s+NetworkPolicy$/m,
    );
  });

  it("defaults policyTypes on create as networking/v1 does", async () => {
    const ingressOnly = await create(policy("deny-in", { podSelector: {} }));
    expect(ingressOnly.code).toBe(0);
    expect(JSON.parse(ingressOnly.stdout).spec.policyTypes).toEqual(["Ingress"]);
    const withEgress = await create(
      policy("web-out", {
        podSelector: { matchLabels: { app: "web" } },
        egress: [{ ports: [{ port: 53, protocol: "UDP" }] }],
      }),
    );
    expect(JSON.parse(withEgress.stdout).spec.policyTypes).toEqual(["Ingress", "Egress"]);
  });

  it("prints kubectl's columns: NAME POD-SELECTOR AGE", async () => {
    const out = await kubectl(fleet.kubeconfigPath, ["get", "netpol", "-n", "default"]);
    const rows = out.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(["NAME", "POD-SELECTOR", "AGE"]);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ["deny-in", "<none>"],
      ["web-out", "app=web"],
    ]);
  });
});
