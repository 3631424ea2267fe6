/**
 * Fault matrix, part 3: TLS. One cluster of three serves a certificate the gateway does not trust
 * (a TLS failure), rotates its serving certificate under the same CA, or rotates its CA with the
 * kubeconfig rewritten (the gateway, watching its kubeconfig, reconnects with the new CA). Every
 * path answers HTTP 200 with the healthy clusters' data; after the fault, a change made on the
 * cluster is visible within 5 s. Figures go to docs/reliability.md.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import {
  createConfigMap,
  expectDegradedNotFailed,
  probeAll,
  record,
  recoveryMs,
  matrixSuite,
  type Matrix,
} from "./fault-matrix-fixture.js";

// The gateway follows its kubeconfig, as a deployment mounting it from a Secret would.
const matrix = matrixSuite("fault-matrix-tls", { watchConfig: true });
let m: Matrix;
beforeEach(() => {
  m = matrix();
});

async function admin(action: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${m.fleet.adminUrl}/clusters/${m.victim.name}/${action}`, {
    method: "POST",
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("one cluster of three", () => {
  it("serving an untrusted certificate: typed CLUSTER_UNAVAILABLE naming the TLS failure; fresh after a trusted one", async () => {
    await admin("untrusted-certificate");
    createConfigMap(m.victim, "made-while-untrusted");
    const outcomes = await probeAll(m);
    for (const o of outcomes) expectDegradedNotFailed(o, ["CLUSTER_UNAVAILABLE"]);
    expect(outcomes.find((o) => o.path === "pods (STRONG)")!.victimCodes).toEqual(["CLUSTER_UNAVAILABLE"]);
    const health = m.gateway.registry.get(m.victim.name)!;
    await eventually(() => /certificate|TLS/i.test(health.lastFailure?.message ?? ""), 5000);
    const ms = await recoveryMs(m, "made-while-untrusted", () => admin("rotate-certificate"));
    expect(ms).toBeLessThanOrEqual(5000);
    record("TLS failure (untrusted certificate)", outcomes, ms);
  });

  it("a serving certificate rotated under the same CA: the gateway reconnects and keeps working", async () => {
    // Measured from the rotation (every connection reset) to a change made right after it.
    const ms = await recoveryMs(m, "made-after-rotation", async () => {
      const rotated = await admin("rotate-certificate");
      expect(rotated.rotated).toBe("certificate");
      createConfigMap(m.victim, "made-after-rotation");
    });
    await eventually(() => m.gateway.fleetCache.status(m.victim.name)?.staleSince === null, 5000);
    const after = await probeAll(m);
    for (const o of after) expectDegradedNotFailed(o, []);
    expect(ms).toBeLessThanOrEqual(5000);
    record("certificate rotated (same CA)", after, ms);
  });

  it("a CA rotated and the kubeconfig rewritten: the gateway reloads it and reconnects with the new CA", async () => {
    const before = m.gateway.registry.get(m.victim.name)!;
    const ms = await recoveryMs(m, "made-after-ca-rotation", async () => {
      const rotated = await admin("rotate-certificate", { ca: true });
      expect(rotated.rotated).toBe("ca-and-certificate");
      createConfigMap(m.victim, "made-after-ca-rotation");
    });
    // A new connection, built from the reloaded kubeconfig's CA.
    expect(m.gateway.registry.get(m.victim.name)).not.toBe(before);
    expect(m.gateway.config().clusters.find((c) => c.name === m.victim.name)!.tls.caData).toBe(
      m.victim.tls!.caPem,
    );
    await eventually(() => m.gateway.fleetCache.status(m.victim.name)?.staleSince === null, 5000);
    const after = await probeAll(m);
    for (const o of after) expectDegradedNotFailed(o, []);
    expect(ms).toBeLessThanOrEqual(5000);
    record("CA rotated, kubeconfig rewritten", after, ms);
  });
});
