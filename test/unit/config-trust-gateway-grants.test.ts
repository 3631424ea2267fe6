import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { configError } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";

describe("clusters[].trustGatewayGrants", () => {
  it("is off unless a cluster says true", () => {
    const config = parseConfig(
      `clusters:
  - { name: trusted, server: https://a, trustGatewayGrants: true }
  - { name: explicit, server: https://b, trustGatewayGrants: false }
  - { name: plain, server: https://c }
`,
      FILE,
    );
    expect(config.clusters.map((c) => [c.name, c.trustGatewayGrants === true])).toEqual([
      ["trusted", true],
      ["explicit", false],
      ["plain", false],
    ]);
  });

  it("must be a boolean", () => {
    const error = configError(() =>
      parseConfig('clusters:\n  - { name: a, server: https://a, trustGatewayGrants: "yes" }\n', FILE),
    );
    expect(error.message).toContain("clusters[0].trustGatewayGrants");
  });
});
