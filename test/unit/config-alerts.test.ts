/**
 * `alerts` and `clusters[].alertmanager`: shape and defaults, refusals at their line, and which
 * Alertmanager the backends give each cluster (shared ones pinned by the cluster label).
 */
import { describe, expect, it } from "vitest";
import { AlertmanagerBackends } from "../../src/backends/alertmanager/backends.js";
import { parseConfig } from "../../src/config/index.js";
import { configError } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";

describe("alerts and clusters[].alertmanager", () => {
  it("reads a shared and a per-cluster Alertmanager; the shared one is told clusters apart by `cluster`", () => {
    const config = parseConfig(
      `alerts:
  alertmanager:
    url: http://alertmanager:9093/
  pollIntervalMs: 1500
clusters:
  - name: east
    server: https://east.example.com
    alertmanager:
      url: https://am.east:9093
      auth: { token: east-token }
  - name: west
    server: https://west.example.com
`,
      FILE,
    );
    expect(config.alerts).toEqual({
      pollIntervalMs: 1500,
      alertmanager: {
        url: "http://alertmanager:9093",
        clusterLabel: "cluster",
        tls: { insecureSkipVerify: false },
        auth: {},
        timeoutMs: 3000,
        maxConcurrentRequests: 8,
      },
    });
    const backends = AlertmanagerBackends.fromConfig(config);
    try {
      const east = backends.forCluster("east")!;
      const west = backends.forCluster("west")!;
      expect(east.client.backend).toBe("https://am.east:9093");
      expect(east.clusterLabel).toBeUndefined();
      expect(west.client.backend).toBe("http://alertmanager:9093");
      expect(west.clusterLabel).toEqual({ name: "cluster", value: "west" });
      expect(backends.configured).toBe(true);
    } finally {
      backends.close();
    }
  });

  it("has no Alertmanager without the section, and refuses a poll interval under 100 ms at its line", () => {
    const none = parseConfig(`clusters:\n  - name: east\n    server: https://east.example.com\n`, FILE);
    expect(none.alerts).toBeUndefined();
    const backends = AlertmanagerBackends.fromConfig(none);
    expect(backends.forCluster("east")).toBeUndefined();
    expect(backends.configured).toBe(false);
    const error = configError(() => parseConfig(`alerts:\n  pollIntervalMs: 10\n`, FILE));
    expect(error.message).toMatch(/^fleetgraph\.yaml:2: alerts\.pollIntervalMs: /);
  });
});
