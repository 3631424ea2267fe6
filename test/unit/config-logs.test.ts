/**
 * `logs.elasticsearch` and `clusters[].logStore`: shape, defaults (KubeSphere's index layout),
 * files read like a cluster's TLS and auth, errors at their line, and which store the backends
 * give each cluster.
 */
import { describe, expect, it } from "vitest";
import { LogStoreBackends } from "../../src/backends/logstore/backends.js";
import { loadConfigFile, parseConfig } from "../../src/config/index.js";
import { configError, pems, scratch } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";

describe("logs.elasticsearch and clusters[].logStore", () => {
  it("reads a shared and a per-cluster store, their files relative to the config file", async () => {
    const { ca } = await pems();
    const s = scratch();
    s.write("es/ca.pem", ca);
    const tokenFile = s.write("es/token", "es-token\n");
    const path = s.write(
      FILE,
      `logs:
  elasticsearch:
    url: https://elastic:secret@es.example.com:9200/
    flavor: opensearch
    clusterField: kubernetes.cluster_name
    indices: { logs: fluent-log, auditing: k8s-audit }
    tls: { caFile: es/ca.pem }
    auth: { tokenFile: es/token }
    timeoutMs: 2000
    maxConcurrentRequests: 4
clusters:
  - name: east
    server: https://east.example.com
    logStore:
      url: http://es.east:9200
      apiKey: aWQ6a2V5
  - name: west
    server: https://west.example.com
`,
    );
    const config = loadConfigFile(path);
    expect(config.logs).toEqual({
      elasticsearch: {
        url: "https://elastic:secret@es.example.com:9200",
        flavor: "opensearch",
        clusterField: "kubernetes.cluster_name",
        indices: { logs: "fluent-log", events: "ks-logstash-events", auditing: "k8s-audit" },
        tls: { caData: ca, insecureSkipVerify: false },
        auth: { tokenFile },
        timeoutMs: 2000,
        maxConcurrentRequests: 4,
      },
    });
    expect(config.clusters[0]!.logStore).toEqual({
      url: "http://es.east:9200",
      flavor: "elasticsearch",
      indices: { logs: "ks-logstash-log", events: "ks-logstash-events", auditing: "ks-logstash-auditing" },
      tls: { insecureSkipVerify: false },
      auth: {},
      apiKey: "aWQ6a2V5",
      timeoutMs: 5000,
      maxConcurrentRequests: 8,
    });
    expect(config.clusters[1]!.logStore).toBeUndefined();

    const backends = LogStoreBackends.fromConfig(config);
    try {
      const east = backends.forCluster("east")!;
      const west = backends.forCluster("west")!;
      // The cluster's own store holds that cluster alone: no field to pin it.
      expect(east.clusterField).toBeUndefined();
      expect(east.client.backend).toBe("http://es.east:9200");
      expect(west.clusterField).toBe("kubernetes.cluster_name");
      // Credentials never show in what errors name.
      expect(west.client.backend).toBe("https://es.example.com:9200");
      expect(west.indices.logs).toBe("fluent-log");
      expect(backends.forCluster("north")).toBeUndefined();
    } finally {
      await backends.close();
    }
  });

  it("defaults the shared store's cluster field to `cluster`; no section, no store", () => {
    const shared = parseConfig(
      `logs:
  elasticsearch: { url: "http://es:9200" }
clusters:
  - { name: a, server: "https://a" }
`,
      FILE,
    );
    expect(shared.logs?.elasticsearch?.clusterField).toBe("cluster");
    const none = parseConfig(`clusters:\n  - { name: a, server: "https://a" }\n`, FILE);
    expect(none.logs).toBeUndefined();
    expect(LogStoreBackends.fromConfig(none).configured).toBe(false);
  });

  it("refuses what a store cannot be, at its line", () => {
    const cases: [string, RegExp][] = [
      [`logs:\n  elasticsearch: { url: "ftp://es" }\n`, /logs\.elasticsearch\.url.*https:\/\/ or http:\/\//],
      [`logs:\n  elasticsearch: { url: "http://es", flavor: solr }\n`, /logs\.elasticsearch\.flavor/],
      [
        `logs:\n  elasticsearch: { url: "http://es", indices: { logs: "Logs-*" } }\n`,
        /indices\.logs.*index name prefix/,
      ],
      [`logs:\n  elasticsearch: { url: "http://es", clusterField: "a..b" }\n`, /clusterField.*field path/],
      [
        `logs:\n  elasticsearch: { url: "http://es", apiKey: k, auth: { token: t } }\n`,
        /apiKey.*cannot be combined with auth/,
      ],
      [`logs:\n  elasticsearch: { url: "http://es", sever: x }\n`, /sever/],
    ];
    for (const [text, message] of cases) {
      const error = configError(() => parseConfig(text, FILE));
      expect(error.message).toMatch(message);
      expect(error.line).toBe(2);
    }
  });
});
