import { describe, expect, it } from "vitest";
import { subgraphTrustedDocumentsWarning } from "../../../src/federation/trusted-documents.js";
import { TrustedDocumentStore } from "../../../src/trusted-documents/index.js";

const store = (...bodies: string[]) =>
  new TrustedDocumentStore(bodies.map((body, i) => ({ id: `doc-${i}`, body })));
const CLIENT_QUERY = "query Clusters { clusters { nodes { name } } }";
const ROUTER_PLAN =
  "query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }";

describe("trusted documents in subgraph mode", () => {
  it("warns that `required` refuses every router request", () => {
    const warning = subgraphTrustedDocumentsWarning({
      mode: "required",
      store: store(CLIENT_QUERY, ROUTER_PLAN),
    });
    expect(warning).toMatch(/required in subgraph mode.*every request through the router is refused/);
  });

  it("warns when `allowList` registers none of the router's entity fetches, not when it does", () => {
    expect(subgraphTrustedDocumentsWarning({ mode: "allowList", store: store(CLIENT_QUERY) })).toMatch(
      /no registered document asks for _entities/,
    );
    expect(
      subgraphTrustedDocumentsWarning({ mode: "allowList", store: store(CLIENT_QUERY, ROUTER_PLAN) }),
    ).toBeUndefined();
  });

  it("says nothing with trusted documents off", () => {
    expect(subgraphTrustedDocumentsWarning(undefined)).toBeUndefined();
  });
});
