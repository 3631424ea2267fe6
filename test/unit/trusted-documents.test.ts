/**
 * Trusted documents without a server: both manifest formats read and checked, documents found by
 * `sha256:` id, bare hash or the manifest's own id, the admission rules of each mode, the HTTP
 * request rewritten for Apollo (POST and GET), and the config section.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { admitHttpOperation } from "../../src/http/trusted-documents.js";
import {
  admitDocument,
  loadManifests,
  ManifestError,
  manifestDocuments,
  sha256Hex,
  TrustedDocumentStore,
  type TrustedDocumentsPolicy,
} from "../../src/trusted-documents/index.js";
import { configError, scratch } from "./config-fixtures.js";

const VIEWER = "query Viewer { viewer { user } }";
const PODS = "query Pods($first: Int!) { pods(first: $first) { totalCount } }";
const hex = (text: string): string => createHash("sha256").update(text).digest("hex");

const codegen = { [`sha256:${hex(VIEWER)}`]: VIEWER };
const apollo = {
  format: "apollo-persisted-query-manifest",
  version: 1,
  operations: [{ id: "pods-v1", name: "Pods", type: "query", body: PODS }],
};

function policy(mode: "allowList" | "required"): TrustedDocumentsPolicy {
  return {
    mode,
    store: new TrustedDocumentStore([
      ...manifestDocuments(codegen, "codegen"),
      ...manifestDocuments(apollo, "apollo"),
    ]),
  };
}

describe("manifests", () => {
  it("hashes a document's UTF-8 text as lower-case hex SHA-256", () => {
    expect(sha256Hex("é")).toBe(hex("é"));
    expect(sha256Hex(VIEWER)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads GraphQL Codegen's { hash: document } and Apollo's operations list", () => {
    expect(manifestDocuments(codegen, "c")).toEqual([{ id: `sha256:${hex(VIEWER)}`, body: VIEWER }]);
    expect(manifestDocuments(apollo, "a")).toEqual([{ id: "pods-v1", body: PODS }]);
  });

  it("refuses what it cannot trust, naming the file and the entry", () => {
    const cases: [unknown, RegExp][] = [
      [[VIEWER], /must be a JSON object/],
      [{ abc: 42 }, /"abc" must map to a document's text/],
      [{ abc: "query {" }, /document "abc" is not GraphQL/],
      [{ ...apollo, version: 2 }, /format "apollo-persisted-query-manifest" and version 1/],
      [{ ...apollo, operations: [{ id: "x" }] }, /operations\[0\] needs a string id and body/],
    ];
    for (const [manifest, message] of cases) {
      expect(() => manifestDocuments(manifest, "m.json")).toThrow(ManifestError);
      expect(() => manifestDocuments(manifest, "m.json")).toThrow(message);
    }
    expect(
      () =>
        new TrustedDocumentStore([
          { id: "x", body: VIEWER },
          { id: "x", body: PODS },
        ]),
    ).toThrow(/id "x".*registered twice/);
  });

  it("finds a document by sha256: id, bare hash (either case) or the manifest's own id", () => {
    const { store } = policy("required");
    expect(store.size).toBe(2);
    expect(store.document(`sha256:${hex(VIEWER)}`)).toBe(VIEWER);
    expect(store.document(hex(VIEWER).toUpperCase())).toBe(VIEWER);
    expect(store.document(hex(PODS))).toBe(PODS);
    expect(store.document("pods-v1")).toBe(PODS);
    expect(store.document(`sha256:${hex("query { x }")}`)).toBeUndefined();
    expect(store.document("Pods")).toBeUndefined();
    expect(store.registers(VIEWER)).toBe(true);
    expect(store.registers(`${VIEWER}\n`)).toBe(false);
  });

  it("loads files, and says which one it could not read", () => {
    const s = scratch();
    const a = s.write("a.json", JSON.stringify(codegen));
    const b = s.write("b.json", JSON.stringify(apollo));
    expect(loadManifests([a, b]).size).toBe(2);
    expect(() => loadManifests([s.path("missing.json")])).toThrow(/missing\.json: ENOENT/);
    const bad = s.write("bad.json", "{");
    expect(() => loadManifests([bad])).toThrow(/bad\.json/);
  });

  it("checks the examples' committed manifests: every key is the SHA-256 of its document", () => {
    for (const path of [
      "examples/dashboard/src/gql/persisted-documents.json",
      "examples/automation/gql/persisted-documents.json",
    ]) {
      const store = loadManifests([path]);
      expect(store.size).toBeGreaterThan(0);
      for (const { id, body } of manifestDocuments(JSON.parse(readText(path)), path))
        expect(id).toBe(`sha256:${sha256Hex(body)}`);
    }
  });
});

describe("admission", () => {
  it("runs the registered text an id names, whatever text came with it", () => {
    for (const mode of ["allowList", "required"] as const) {
      expect(admitDocument({ documentId: "pods-v1" }, policy(mode))).toEqual({ query: PODS });
      expect(
        admitDocument(
          {
            query: "{ secrets { data } }",
            extensions: { persistedQuery: { version: 1, sha256Hash: hex(VIEWER) } },
          },
          policy(mode),
        ),
      ).toEqual({ query: VIEWER });
    }
  });

  it("refuses an unknown id with PERSISTED_QUERY_NOT_FOUND, echoing it bounded and on one line", () => {
    const admission = admitDocument({ documentId: `x-${"a".repeat(200)}\n` }, policy("allowList"));
    expect(admission).toMatchObject({ refusal: { code: "PERSISTED_QUERY_NOT_FOUND" } });
    const message = (admission as { refusal: { message: string } }).refusal.message;
    expect(message).not.toContain("\n");
    expect(message).toContain(`x-${"a".repeat(78)}...`);
  });

  it("allowList: the exact registered text runs, other text is OPERATION_NOT_TRUSTED", () => {
    expect(admitDocument({ query: VIEWER }, policy("allowList"))).toEqual({ query: VIEWER });
    expect(admitDocument({ query: "{ viewer { user } }" }, policy("allowList"))).toMatchObject({
      refusal: { code: "OPERATION_NOT_TRUSTED" },
    });
  });

  it("required: text alone is refused, registered or not, with what to send instead", () => {
    const admission = admitDocument({ query: VIEWER }, policy("required"));
    expect(admission).toMatchObject({ refusal: { code: "OPERATION_NOT_TRUSTED" } });
    expect((admission as { refusal: { message: string } }).refusal.message).toMatch(
      /documentId, or extensions\.persistedQuery\.sha256Hash/,
    );
  });

  it("leaves a request naming no document to the transport's own answer", () => {
    expect(admitDocument({}, policy("required"))).toEqual({ query: undefined });
    expect(admitDocument({ query: "", extensions: { persistedQuery: {} } }, policy("allowList"))).toEqual({
      query: undefined,
    });
  });
});

describe("admission on HTTP", () => {
  it("hands Apollo a POST's registered text, the id fields gone and other extensions kept", () => {
    const admitted = admitHttpOperation(
      "POST",
      {
        body: {
          documentId: "pods-v1",
          variables: { first: 2 },
          extensions: { persistedQuery: { version: 1, sha256Hash: hex(PODS) }, trace: true },
        },
        search: "",
      },
      policy("required"),
    );
    expect(admitted).toEqual({
      body: { variables: { first: 2 }, query: PODS, extensions: { trace: true } },
      search: "",
    });
  });

  it("rewrites a GET's query string the same way", () => {
    const search = `?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hex(PODS) } }))}&variables=${encodeURIComponent('{"first":1}')}`;
    const admitted = admitHttpOperation("GET", { body: undefined, search }, policy("required"));
    const params = new URLSearchParams((admitted as { search: string }).search);
    expect(params.get("query")).toBe(PODS);
    expect(params.get("variables")).toBe('{"first":1}');
    expect(params.has("extensions")).toBe(false);
  });

  it("refuses free-form text in a GET or a POST and batches, and passes a body Apollo refuses itself", () => {
    expect(
      admitHttpOperation(
        "GET",
        { body: undefined, search: `?query=${encodeURIComponent("{ a }")}` },
        policy("allowList"),
      ),
    ).toMatchObject({ code: "OPERATION_NOT_TRUSTED" });
    expect(
      admitHttpOperation("POST", { body: { query: "{ a }" }, search: "" }, policy("allowList")),
    ).toMatchObject({
      code: "OPERATION_NOT_TRUSTED",
    });
    expect(
      admitHttpOperation("POST", { body: [{ documentId: "pods-v1" }], search: "" }, policy("required")),
    ).toMatchObject({
      code: "OPERATION_NOT_TRUSTED",
      message: expect.stringMatching(/one operation per request/),
    });
    const notJson = { body: undefined, search: "" };
    expect(admitHttpOperation("POST", notJson, policy("required"))).toBe(notJson);
  });
});

describe("the trustedDocuments config section", () => {
  it("takes a mode and manifests relative to the config file", () => {
    const s = scratch();
    const path = s.write(
      "fleetgraph.yaml",
      "trustedDocuments:\n  mode: required\n  manifests: [ops/a.json]\n",
    );
    expect(parseConfig(readText(path), path).trustedDocuments).toEqual({
      mode: "required",
      manifests: [s.path("ops/a.json")],
    });
  });

  it("refuses a mode without manifests, and an unknown mode", () => {
    expect(
      configError(() => parseConfig("trustedDocuments:\n  mode: allowList\n", "/c.yaml")).message,
    ).toMatch(/manifests.*at least one manifest/);
    expect(
      configError(() => parseConfig("trustedDocuments:\n  mode: strict\n  manifests: [a]\n", "/c.yaml"))
        .message,
    ).toMatch(/mode/);
  });
});

function readText(path: string): string {
  return readFileSync(path, "utf8");
}
