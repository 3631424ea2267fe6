/** Idempotency keys over the memory store (the Redis store shares its contract tests). */
import { describe, expect, it } from "vitest";
import { NAMESPACE } from "../../src/kinds/index.js";
import { IdempotencyKeys, fingerprintOf, targetKey } from "../../src/mutations/idempotency.js";
import type { MutationOutcome } from "../../src/mutations/outcome.js";
import { cachedTarget } from "../../src/mutations/targets.js";
import { MemoryStore } from "../../src/store/memory-store.js";

const target = (cluster: string) => ({
  ...cachedTarget(NAMESPACE, cluster, undefined, null),
  name: "team-a",
});
const outcome = (cluster: string, status: MutationOutcome["status"]): MutationOutcome => ({
  target: target(cluster),
  status,
  object: null,
  error: null,
});

describe("IdempotencyKeys", () => {
  it("keeps final outcomes only, per user and operation, bound to the input", async () => {
    const keys = new IdempotencyKeys(new MemoryStore());
    const first = await keys.claim("ann", "namespace.create", "k1", { name: "team-a" });
    if (!("claim" in first)) throw new Error(first.userError.message);
    expect(first.claim.previous.size).toBe(0);
    await first.claim.finish([outcome("a", "APPLIED"), outcome("b", "CLUSTER_UNAVAILABLE")]);

    const again = await keys.claim("ann", "namespace.create", "k1", { name: "team-a" });
    if (!("claim" in again)) throw new Error(again.userError.message);
    expect([...again.claim.previous.keys()]).toEqual([targetKey(target("a"))]);
    expect(again.claim.previous.get(targetKey(target("a")))?.status).toBe("APPLIED");
    await again.claim.release();

    const otherInput = await keys.claim("ann", "namespace.create", "k1", { name: "team-b" });
    expect("userError" in otherInput && otherInput.userError.code).toBe("BAD_USER_INPUT");
    const otherUser = await keys.claim("bob", "namespace.create", "k1", { name: "team-b" });
    expect("claim" in otherUser && otherUser.claim.previous.size).toBe(0);
  });

  it("keeps objects without managedFields, and Secrets without their values", async () => {
    const keys = new IdempotencyKeys(new MemoryStore());
    const first = await keys.claim("ann", "object.delete", "k3", {});
    if (!("claim" in first)) throw new Error("not claimed");
    const secret = {
      ...outcome("a", "APPLIED"),
      target: { ...target("a"), apiVersion: "v1", kind: "Secret" },
      object: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s", namespace: "n", managedFields: [{ manager: "kubectl" }] },
        data: { password: "aHVudGVyMg==" },
      },
    } as MutationOutcome;
    await first.claim.finish([secret]);
    const again = await keys.claim("ann", "object.delete", "k3", {});
    if (!("claim" in again)) throw new Error("not claimed");
    const stored = [...again.claim.previous.values()][0]!.object!;
    expect(stored.metadata).toEqual({ name: "s", namespace: "n" });
    expect(stored).not.toHaveProperty("data");
  });

  it("refuses a key while its first use runs, and frees it afterwards", async () => {
    const keys = new IdempotencyKeys(new MemoryStore());
    const running = await keys.claim("ann", "workload.scale", "k2", { replicas: 1 });
    if (!("claim" in running)) throw new Error("not claimed");
    const concurrent = await keys.claim("ann", "workload.scale", "k2", { replicas: 1 });
    expect("userError" in concurrent && concurrent.userError.code).toBe("CONFLICT");
    await running.claim.finish([]);
    expect("claim" in (await keys.claim("ann", "workload.scale", "k2", { replicas: 1 }))).toBe(true);
  });

  it("rejects empty and oversized keys, and fingerprints ignore field order", async () => {
    const keys = new IdempotencyKeys(new MemoryStore());
    for (const key of ["", "x".repeat(256)]) {
      const r = await keys.claim("ann", "workload.scale", key, {});
      expect("userError" in r && r.userError.field).toEqual(["input", "idempotencyKey"]);
    }
    expect(fingerprintOf({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(
      fingerprintOf({ b: { d: [1, 2], c: 2 }, a: 1 }),
    );
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
  });
});
