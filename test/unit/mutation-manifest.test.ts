import { describe, expect, it } from "vitest";
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DOCUMENTS, parseManifest } from "../../src/mutations/manifest.js";

const cm = (name: string, extra = ""): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

describe("parseManifest", () => {
  it("reads documents in order, skipping empty ones but counting them in the indexes", () => {
    const parsed = parseManifest(`---\n${cm("a", "  namespace: team\n")}---\n# nothing\n---\n${cm("b")}`);
    expect(parsed.userErrors).toEqual([]);
    expect(parsed.documents.map((d) => [d.index, d.kind, d.name, d.namespace])).toEqual([
      [0, "ConfigMap", "a", "team"],
      [2, "ConfigMap", "b", undefined],
    ]);
    expect(parsed.documents[0]!.object.metadata).toEqual({ name: "a", namespace: "team" });
  });

  it("names the document of each mistake", () => {
    const parsed = parseManifest(
      [
        cm("ok"),
        "kind: ConfigMap\nmetadata: {name: x}\n",
        "- a list\n",
        "apiVersion: v1\nkind: List\nmetadata: {name: l}\n",
        "a: [\n",
      ].join("---\n"),
    );
    expect(parsed.userErrors.map((e) => e.message.slice(0, 12))).toEqual([
      "document 1: ",
      "document 2: ",
      "document 3: ",
      "document 4: ",
    ]);
    expect(parsed.userErrors[0]!.message).toBe("document 1: apiVersion is required");
    expect(
      parsed.userErrors.every((e) => e.code === "BAD_USER_INPUT" && e.field.join(".") === "input.manifest"),
    ).toBe(true);
  });

  it("refuses a duplicate key, an empty manifest, and manifests beyond the limits", () => {
    expect(parseManifest(`${cm("a")}metadata: {name: b}\n`).userErrors[0]?.message).toMatch(
      /^document 0: .*[Mm]ap keys must be unique/,
    );
    expect(parseManifest("").userErrors[0]?.message).toBe("the manifest holds no object");
    expect(parseManifest("x".repeat(MAX_MANIFEST_BYTES + 1)).userErrors[0]?.code).toBe("LIMIT_EXCEEDED");
    const many = Array.from({ length: MAX_MANIFEST_DOCUMENTS + 1 }, (_, i) => cm(`c${i}`)).join("---\n");
    expect(parseManifest(many).userErrors.map((e) => e.code)).toEqual(["LIMIT_EXCEEDED"]);
  });
});
