import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  MAX_DOCUMENT_ERRORS,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_DOCUMENTS,
  parseManifest,
} from "../../src/mutations/manifest.js";
import { countDocuments } from "../../src/mutations/manifest-count.js";

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

  it("counts documents ended by '...' as YAML does, and refuses too many with one error, without parsing them all", () => {
    for (const text of [
      "1\n...\n2\n",
      "a: 1\n...\n...\n",
      "---\n---\n",
      "%YAML 1.2\n---\na\n",
      "# only\n",
      "",
    ])
      expect(countDocuments(text, 100), JSON.stringify(text)).toBe(
        (parseAllDocuments(text) as unknown[]).length,
      );
    expect(countDocuments("1\n...\n".repeat(1000), 50)).toBe(51);
    const sep = Array.from({ length: MAX_MANIFEST_DOCUMENTS + 1 }, (_, i) => cm(`c${i}`)).join("...\n");
    expect(parseManifest(sep).userErrors.map((e) => e.code)).toEqual(["LIMIT_EXCEEDED"]);
    // 1 MiB of one-line documents (~175k): one user error, answered at once.
    const flood = "1\n...\n".repeat(Math.floor(MAX_MANIFEST_BYTES / 6));
    const started = performance.now();
    const parsed = parseManifest(flood);
    expect(performance.now() - started).toBeLessThan(500);
    expect(parsed.userErrors).toEqual([
      {
        field: ["input", "manifest"],
        message: `a manifest may hold at most ${MAX_MANIFEST_DOCUMENTS} documents, this one has more`,
        code: "LIMIT_EXCEEDED",
      },
    ]);
  });

  it("answers the first mistakes one by one and the rest as one count", () => {
    const parsed = parseManifest(Array.from({ length: 45 }, () => "- not an object\n").join("---\n"));
    expect(parsed.userErrors).toHaveLength(MAX_DOCUMENT_ERRORS + 1);
    expect(parsed.userErrors[MAX_DOCUMENT_ERRORS - 1]!.message).toMatch(/^document 19: /);
    expect(parsed.userErrors[MAX_DOCUMENT_ERRORS]!.message).toBe("and 25 more documents with mistakes");
  });

  it("refuses names that are not path segments and namespaces that are not DNS labels, naming the document", () => {
    const messages = (docs: string[]) => parseManifest(docs.join("---\n")).userErrors.map((e) => e.message);
    expect(
      messages([cm("ok"), cm('".."', "  namespace: team-a\n"), cm('"."'), cm("a/b"), cm('"50%"')]),
    ).toEqual([
      `document 1: metadata.name "..": may not be '..'`,
      `document 2: metadata.name ".": may not be '.'`,
      `document 3: metadata.name "a/b": may not contain '/'`,
      `document 4: metadata.name "50%": may not contain '%'`,
    ]);
    const label = /^document \d: metadata\.namespace ".*": a namespace is a DNS label/;
    const bad = ["..", "Team-A", "team_a", "-a", "a".repeat(64), "a/b"];
    const errors = messages(bad.map((ns) => cm("x", `  namespace: "${ns}"\n`)));
    expect(errors).toHaveLength(bad.length);
    for (const e of errors) expect(e).toMatch(label);
    expect(messages([cm("x", `  namespace: ${"a".repeat(63)}\n`), cm("a.b-c_d")])).toEqual([]);
  });
});
