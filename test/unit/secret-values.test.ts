import { describe, expect, it } from "vitest";
import type { ApiResource } from "../../src/discovery/index.js";
import { isSecretResource, withheldValues } from "../../src/live-read/secret-values.js";

const applied = JSON.stringify({ kind: "Secret", data: { token: "c2VjcmV0" } });

describe("withheldValues", () => {
  it("keeps every key of data and stringData with a null value, and drops nothing else", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/tls",
      metadata: { name: "tls", namespace: "shop", labels: { app: "web" } },
      data: { "tls.crt": "Y2VydA==", "tls.key": "a2V5" },
      stringData: { note: "plain" },
    };
    expect(withheldValues(secret)).toEqual({
      ...secret,
      data: { "tls.crt": null, "tls.key": null },
      stringData: { note: null },
    });
    // The caller's object is not changed.
    expect(secret.data["tls.key"]).toBe("a2V5");
  });

  it("withholds the manifest kubectl apply keeps in an annotation, values included", () => {
    const secret = {
      metadata: {
        name: "api",
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied, owner: "team-a" },
      },
      data: { token: "c2VjcmV0" },
    };
    const out = withheldValues(secret);
    expect(out.metadata).toEqual({
      name: "api",
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": null, owner: "team-a" },
    });
    expect(JSON.stringify(out)).not.toContain("c2VjcmV0");
  });

  it("leaves a Secret without values as it is", () => {
    const secret = { metadata: { name: "empty" }, type: "Opaque" };
    expect(withheldValues(secret)).toEqual(secret);
  });
});

describe("isSecretResource", () => {
  const resource = (group: string, kind: string): ApiResource => ({
    group,
    kind,
    version: "v1",
    apiVersion: group ? `${group}/v1` : "v1",
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: ["list"],
    shortNames: [],
  });

  it("is the core group's Secret only", () => {
    expect(isSecretResource(resource("", "Secret"))).toBe(true);
    expect(isSecretResource(resource("example.com", "Secret"))).toBe(false);
    expect(isSecretResource(resource("", "ConfigMap"))).toBe(false);
  });
});
