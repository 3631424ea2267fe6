/**
 * `metrics.prometheus` and `clusters[].prometheus`: shape, defaults, files read like a cluster's
 * TLS and auth, errors at their line, and how reload diffs and the backends see the result.
 */
import { describe, expect, it } from "vitest";
import { PrometheusBackends } from "../../src/backends/prometheus/backends.js";
import { diffClusters, loadConfigFile, parseConfig } from "../../src/config/index.js";
import { b64, configError, pems, scratch } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";

describe("metrics.prometheus and clusters[].prometheus", () => {
  it("reads a shared and a per-cluster Prometheus, their files relative to the config file", async () => {
    const { ca, cert, key } = await pems();
    const s = scratch();
    s.write("prom/ca.pem", ca);
    const tokenFile = s.write("prom/token", "prom-token\n");
    const path = s.write(
      FILE,
      `metrics:
  prometheus:
    url: https://thanos.example.com:9090/query/
    clusterLabel: k8s_cluster
    tls: { caFile: prom/ca.pem }
    auth: { tokenFile: prom/token }
    timeoutMs: 5000
    maxConcurrentRequests: 16
clusters:
  - name: east
    server: https://east.example.com
    prometheus:
      url: http://prom.east:9090
      tls: { certData: ${b64(cert)}, keyData: ${b64(key)}, insecureSkipVerify: true }
      auth: { token: " east-token " }
  - name: west
    server: https://west.example.com
`,
    );
    const config = loadConfigFile(path);
    expect(config.metrics).toEqual({
      prometheus: {
        url: "https://thanos.example.com:9090/query",
        clusterLabel: "k8s_cluster",
        tls: { caData: ca, insecureSkipVerify: false },
        auth: { tokenFile },
        timeoutMs: 5000,
        maxConcurrentRequests: 16,
      },
    });
    expect(config.clusters[0]!.prometheus).toEqual({
      url: "http://prom.east:9090",
      tls: { certData: cert, keyData: key, insecureSkipVerify: true },
      auth: { token: "east-token" },
      timeoutMs: 3000,
      maxConcurrentRequests: 8,
    });
    expect(config.clusters[1]!.prometheus).toBeUndefined();
  });

  it("defaults: label cluster on the shared one only, 3000 ms, 8 queries at a time; no section, no key", () => {
    const config = parseConfig(
      `metrics:
  prometheus: { url: http://prometheus:9090 }
clusters:
  - { name: a, server: https://a, prometheus: { url: http://prom.a:9090 } }
`,
      FILE,
    );
    expect(config.metrics?.prometheus).toEqual({
      url: "http://prometheus:9090",
      clusterLabel: "cluster",
      tls: { insecureSkipVerify: false },
      auth: {},
      timeoutMs: 3000,
      maxConcurrentRequests: 8,
    });
    expect(config.clusters[0]!.prometheus).not.toHaveProperty("clusterLabel");
    const without = parseConfig("clusters:\n  - { name: a, server: https://a }\n", FILE);
    expect(without).not.toHaveProperty("metrics");
    expect(without.clusters[0]).not.toHaveProperty("prometheus");
    expect(parseConfig("metrics: {}\n", FILE).metrics).toEqual({});
  });

  it("the cluster's own Prometheus wins over the shared one", () => {
    const config = parseConfig(
      `metrics:
  prometheus: { url: http://shared:9090 }
clusters:
  - { name: a, server: https://a, prometheus: { url: http://own-a:9090 } }
  - { name: b, server: https://b }
`,
      FILE,
    );
    const backends = PrometheusBackends.fromConfig(config);
    try {
      expect(backends.forCluster("a")!.client.backend).toBe("http://own-a:9090");
      expect(backends.forCluster("b")!.client.backend).toBe("http://shared:9090");
    } finally {
      backends.close();
    }
  });

  it("a changed prometheus makes the cluster changed for a reload", () => {
    const text = (timeout: number) =>
      `clusters:\n  - { name: a, server: https://a, prometheus: { url: http://p:9090, timeoutMs: ${timeout} } }\n`;
    const diff = diffClusters(parseConfig(text(3000), FILE).clusters, parseConfig(text(4000), FILE).clusters);
    expect(diff.changed.map((c) => c.name)).toEqual(["a"]);
    const same = diffClusters(parseConfig(text(3000), FILE).clusters, parseConfig(text(3000), FILE).clusters);
    expect(same.changed).toEqual([]);
  });
});

describe("metrics.prometheus errors name the file, line and field", () => {
  const PROM_KEYS = "url, clusterLabel, tls, auth, timeoutMs, maxConcurrentRequests";
  const cases: Array<[string, string, string]> = [
    [
      "label name starting with a digit",
      "metrics:\n  prometheus:\n    url: http://p:9090\n    clusterLabel: 1cluster\n",
      `${FILE}:4: metrics.prometheus.clusterLabel: must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'`,
    ],
    [
      "label name reserved",
      "metrics:\n  prometheus: { url: http://p:9090, clusterLabel: __cluster }\n",
      `${FILE}:2: metrics.prometheus.clusterLabel: must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'`,
    ],
    [
      "label name with a dash, on a cluster",
      "clusters:\n  - name: a\n    server: https://a\n    prometheus:\n      url: http://p:9090\n      clusterLabel: k8s-cluster\n",
      `${FILE}:6: clusters[0].prometheus.clusterLabel: must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'`,
    ],
    [
      "unknown key in metrics",
      "metrics:\n  promethues: { url: http://p:9090 }\n",
      `${FILE}:2: metrics.promethues: unknown field (expected one of: prometheus)`,
    ],
    [
      "unknown key in prometheus",
      "metrics:\n  prometheus:\n    url: http://p:9090\n    timeout: 5s\n",
      `${FILE}:4: metrics.prometheus.timeout: unknown field (expected one of: ${PROM_KEYS})`,
    ],
    [
      "unknown key in a cluster's prometheus",
      "clusters:\n  - name: a\n    server: https://a\n    prometheus: { url: http://p:9090, server: http://q }\n",
      `${FILE}:4: clusters[0].prometheus.server: unknown field (expected one of: ${PROM_KEYS})`,
    ],
    [
      "token with tokenFile",
      "metrics:\n  prometheus:\n    url: http://p:9090\n    auth: { token: x, tokenFile: /t }\n",
      `${FILE}:4: metrics.prometheus.auth.tokenFile: cannot be combined with token`,
    ],
    [
      "missing url",
      "metrics:\n  prometheus:\n    timeoutMs: 100\n",
      `${FILE}:3: metrics.prometheus.url: is required`,
    ],
    [
      "url not http(s)",
      "metrics:\n  prometheus: { url: prometheus:9090 }\n",
      `${FILE}:2: metrics.prometheus.url: must be an https:// or http:// URL (no query or fragment)`,
    ],
    [
      "timeout out of range",
      "metrics:\n  prometheus: { url: http://p:9090, timeoutMs: 0 }\n",
      `${FILE}:2: metrics.prometheus.timeoutMs: must be at least 1`,
    ],
    [
      "insecureSkipVerify with a CA",
      "metrics:\n  prometheus:\n    url: https://p:9090\n    tls: { caData: eA==, insecureSkipVerify: true }\n",
      `${FILE}:4: metrics.prometheus.tls.insecureSkipVerify: cannot be true while caFile or caData is set`,
    ],
  ];

  it.each(cases)("%s", (_name, text, first) => {
    const error = configError(() => parseConfig(text, FILE));
    expect(error.message.split("\n")[0]).toBe(first);
  });

  it("a CA file that cannot be read is reported at its line, like a cluster's", () => {
    const s = scratch();
    const path = s.write(
      FILE,
      "metrics:\n  prometheus:\n    url: https://p:9090\n    tls:\n      caFile: missing.pem\n",
    );
    const error = configError(() => loadConfigFile(path));
    expect(error.field).toBe("metrics.prometheus.tls.caFile");
    expect(error.line).toBe(5);
    expect(error.message).toContain(`cannot read ${s.path("missing.pem")}: ENOENT`);
  });

  it("an empty token file is refused at load", () => {
    const s = scratch();
    s.write("token", "\n");
    const path = s.write(
      FILE,
      "clusters:\n  - name: a\n    server: https://a\n    prometheus:\n      url: http://p:9090\n      auth: { tokenFile: token }\n",
    );
    const error = configError(() => loadConfigFile(path));
    expect(error.field).toBe("clusters[0].prometheus.auth.tokenFile");
    expect(error.message).toContain("is empty");
  });
});
