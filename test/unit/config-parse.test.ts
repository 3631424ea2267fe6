import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfig } from "../../src/config/index.js";
import { b64, configError, pems, scratch } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";
const SAME_ALERTMANAGER =
  "another cluster (or alerts.alertmanager) names the same Alertmanager: one holding several clusters' alerts " +
  "needs clusterLabel on each cluster's entry (the label its alerts carry, e.g. cluster), or one cluster's " +
  "silences would mute another's alerts";

describe("parseConfig: valid files", () => {
  it("reads every setting, files relative to the config file, base64 data decoded", async () => {
    const { ca, cert, key } = await pems();
    const s = scratch();
    s.write("certs/ca.pem", ca);
    s.write("certs/client.pem", cert);
    s.write("certs/client-key.pem", key);
    const tokenFile = s.write("secrets/token", "abc.def\n");
    const configPath = s.write(
      "fleetgraph.yaml",
      `# all fields
port: 4100
workspaceLabel: example.com/tenant
defaults:
  requestTimeoutMs: 4000
  maxConcurrentRequests: 16
  resyncBackoffMaxMs: 60000
clusters:
  - name: prod-eu-west-1
    displayName: Production EU West
    labels: { region: eu-west-1, provider: aws, environment: production, app.kubernetes.io/part-of: fleet }
    server: https://10.0.0.1:6443/
    tls:
      caFile: certs/ca.pem
      certFile: ./certs/client.pem
      keyFile: ${s.path("certs/client-key.pem")}
    requestTimeoutMs: 3000
    maxConcurrentRequests: 4
  - name: staging
    server: http://127.0.0.1:8080/prefix
    tls: { caData: ${b64(ca)}, certData: ${b64(cert)}, keyData: ${b64(key)} }
    auth: { token: " sekret " }
  - name: dev
    server: https://dev.example.com
    tls: { insecureSkipVerify: true }
    auth: { tokenFile: secrets/token }
`,
    );
    const config = loadConfigFile(configPath);
    expect(config).toEqual({
      port: 4100,
      workspaceLabel: "example.com/tenant",
      defaults: { requestTimeoutMs: 4000, maxConcurrentRequests: 16, resyncBackoffMaxMs: 60000 },
      source: { kind: "file", path: configPath },
      clusters: [
        {
          name: "prod-eu-west-1",
          displayName: "Production EU West",
          labels: {
            region: "eu-west-1",
            provider: "aws",
            environment: "production",
            "app.kubernetes.io/part-of": "fleet",
          },
          server: "https://10.0.0.1:6443",
          tls: { caData: ca, certData: cert, keyData: key, insecureSkipVerify: false },
          auth: {},
          requestTimeoutMs: 3000,
          maxConcurrentRequests: 4,
          source: "config",
        },
        {
          name: "staging",
          displayName: "staging",
          labels: {},
          server: "http://127.0.0.1:8080/prefix",
          tls: { caData: ca, certData: cert, keyData: key, insecureSkipVerify: false },
          auth: { token: "sekret" },
          requestTimeoutMs: 4000,
          maxConcurrentRequests: 16,
          source: "config",
        },
        {
          name: "dev",
          displayName: "dev",
          labels: {},
          server: "https://dev.example.com",
          tls: { insecureSkipVerify: true },
          auth: { tokenFile },
          requestTimeoutMs: 4000,
          maxConcurrentRequests: 16,
          source: "config",
        },
      ],
    });
  });

  it("gives an empty file every default and no clusters", () => {
    expect(parseConfig("# nothing yet\n", FILE)).toEqual({
      port: 4000,
      workspaceLabel: "kubesphere.io/workspace",
      clusters: [],
      defaults: { requestTimeoutMs: 5000, maxConcurrentRequests: 8, resyncBackoffMaxMs: 30000 },
      source: { kind: "file", path: FILE },
    });
  });

  it("reads the mutations section, and refuses a limit below one", () => {
    expect(parseConfig("mutations:\n  maxTargets: 500\n", FILE).mutations).toEqual({ maxTargets: 500 });
    expect(configError(() => parseConfig("mutations:\n  maxTargets: 0\n", FILE)).message).toMatch(
      /:2: mutations\.maxTargets: /,
    );
  });

  it("reads the graphql section (subgraph mode), and refuses a switch that is not a boolean", () => {
    expect(parseConfig("graphql:\n  subgraph: true\n", FILE).graphql).toEqual({ subgraph: true });
    expect(parseConfig("port: 4000\n", FILE).graphql).toBeUndefined();
    expect(configError(() => parseConfig("graphql:\n  subgraph: yes please\n", FILE)).message).toMatch(
      /:2: graphql\.subgraph: /,
    );
  });

  it("reads fleetWorkloads.groupLabel, and refuses what is not a label key", () => {
    expect(
      parseConfig("fleetWorkloads:\n  groupLabel: placement.example.com/app\n", FILE).fleetWorkloads,
    ).toEqual({ groupLabel: "placement.example.com/app" });
    expect(parseConfig("port: 4000\n", FILE).fleetWorkloads).toBeUndefined();
    expect(
      configError(() => parseConfig("fleetWorkloads:\n  groupLabel: 'not a label'\n", FILE)).message,
    ).toMatch(/:2: fleetWorkloads\.groupLabel: /);
  });

  it("reads the sync section, and refuses bounds out of range and unknown keys", () => {
    const text =
      "sync:\n  maxConcurrentLists: 32\n  maxListsPerCluster: 1\n  listPageTimeoutMs: 120000\n  listAttempts: 5\n  watchLagMs: 90000\n";
    expect(parseConfig(text, FILE).sync).toEqual({
      maxConcurrentLists: 32,
      maxListsPerCluster: 1,
      listPageTimeoutMs: 120_000,
      listAttempts: 5,
      watchLagMs: 90_000,
    });
    expect(parseConfig("", FILE).sync).toBeUndefined();
    expect(configError(() => parseConfig("sync:\n  maxConcurrentLists: 0\n", FILE)).message).toMatch(
      /:2: sync\.maxConcurrentLists: /,
    );
    expect(configError(() => parseConfig("sync:\n  watchLagMs: 10\n", FILE)).message).toMatch(
      /:2: sync\.watchLagMs: /,
    );
    expect(configError(() => parseConfig("sync:\n  pageSize: 10\n", FILE)).message).toContain(
      "sync.pageSize: unknown field (expected one of: maxConcurrentLists, maxListsPerCluster, listPageTimeoutMs, listAttempts, watchLagMs)",
    );
  });

  it("accepts PEM pasted verbatim into a *Data field and YAML merge keys", async () => {
    const { ca } = await pems();
    const text = `shared: &shared
  tls: { caData: ${JSON.stringify(ca)} }
clusters:
  - <<: *shared
    name: a
    server: https://a.example.com
`;
    // `shared` is not a known top-level key, so the anchor has to live inside a cluster instead.
    expect(configError(() => parseConfig(text, FILE)).message).toBe(
      `${FILE}:1: shared: unknown field (expected one of: port, workspaceLabel, defaults, clusters, limits, readiness, sync, subscriptions, auth, metrics, logs, alerts, audit, mutations, fleetWorkloads, notifications, telemetry, production, trustedDocuments, graphql)`,
    );
    const merged = `clusters:
  - name: a
    server: https://a.example.com
    tls: &tls { caData: ${JSON.stringify(ca)} }
  - name: b
    server: https://b.example.com
    tls: *tls
`;
    const config = parseConfig(merged, FILE);
    expect(config.clusters.map((c) => c.tls.caData)).toEqual([ca, ca]);
  });
});

describe("parseConfig: errors name the file, line and field", () => {
  const cases: Array<[string, string, string]> = [
    [
      "bad server URL",
      "clusters:\n  - name: a\n    server: https://a.example.com\n  - name: b\n    server: ftp://b.example.com\n",
      `${FILE}:5: clusters[1].server: must be an https:// or http:// URL (no query or fragment)`,
    ],
    [
      "cluster name not a DNS label",
      "clusters:\n  - name: Prod_EU\n    server: https://a\n",
      `${FILE}:2: clusters[0].name: must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit`,
    ],
    [
      "missing server",
      "port: 4000\nclusters:\n  - name: a\n    displayName: A\n",
      `${FILE}:3: clusters[0].server: is required (or take it from a kubeconfig context with \`kubeconfig:\`)`,
    ],
    ["missing name", "clusters:\n  - server: https://a\n", `${FILE}:2: clusters[0].name: is required`],
    [
      "unknown top-level key",
      "port: 4000\nworkspacelabel: x\n",
      `${FILE}:2: workspacelabel: unknown field (expected one of: port, workspaceLabel, defaults, clusters, limits, readiness, sync, subscriptions, auth, metrics, logs, alerts, audit, mutations, fleetWorkloads, notifications, telemetry, production, trustedDocuments, graphql)`,
    ],
    [
      "unknown key in a cluster",
      "clusters:\n  - name: a\n    server: https://a\n    sever: https://b\n",
      `${FILE}:4: clusters[0].sever: unknown field (expected one of: name, displayName, labels, server, tls, auth, kubeconfig, requestTimeoutMs, maxConcurrentRequests, trustGatewayGrants, prometheus, logStore, alertmanager)`,
    ],
    [
      "unknown key in tls",
      "clusters:\n  - name: a\n    server: https://a\n    tls:\n      insecureSkipVerfy: true\n",
      `${FILE}:5: clusters[0].tls.insecureSkipVerfy: unknown field (expected one of: caFile, caData, certFile, certData, keyFile, keyData, insecureSkipVerify)`,
    ],
    [
      "duplicate cluster names",
      "clusters:\n  - name: a\n    server: https://a\n  - name: b\n    server: https://b\n  - name: a\n    server: https://c\n",
      `${FILE}:6: clusters[2].name: duplicate cluster name "a" (also clusters[0])`,
    ],
    [
      "one Alertmanager named by two clusters without the label telling their alerts apart",
      "clusters:\n  - name: a\n    server: https://a\n    alertmanager:\n      url: http://am:9093\n      clusterLabel: cluster\n  - name: b\n    server: https://b\n    alertmanager:\n      url: http://am:9093/\n",
      `${FILE}:10: clusters[1].alertmanager.clusterLabel: ${SAME_ALERTMANAGER}`,
    ],
    [
      "a cluster's own Alertmanager that is the shared one, without the label",
      "alerts:\n  alertmanager:\n    url: http://am:9093\nclusters:\n  - name: a\n    server: https://a\n    alertmanager:\n      url: http://am:9093\n",
      `${FILE}:8: clusters[0].alertmanager.clusterLabel: ${SAME_ALERTMANAGER}`,
    ],
    [
      "label key invalid",
      "clusters:\n  - name: a\n    server: https://a\n    labels:\n      region: eu\n      -bad: x\n",
      `${FILE}:6: clusters[0].labels["-bad"]: invalid label key "-bad": name part must be 1-63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    ],
    [
      "label value invalid",
      "clusters:\n  - name: a\n    server: https://a\n    labels:\n      region: eu west\n",
      `${FILE}:5: clusters[0].labels.region: invalid label value "eu west": must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
    ],
    [
      "label value not a string",
      "clusters:\n  - name: a\n    server: https://a\n    labels:\n      tier: 1\n",
      `${FILE}:5: clusters[0].labels.tier: must be a string, not number 1 (quote it)`,
    ],
    ["port out of range", "port: 70000\n", `${FILE}:1: port: must be at most 65535`],
    ["port a string", 'port: "4000"\n', `${FILE}:1: port: must be a number, not the string "4000"`],
    [
      "timeout zero",
      "\ndefaults:\n  requestTimeoutMs: 0\n",
      `${FILE}:3: defaults.requestTimeoutMs: must be at least 1`,
    ],
    ["clusters not a list", "clusters:\n  a: 1\n", `${FILE}:2: clusters: must be a list, not a mapping`],
    ["file not a mapping", "- a\n- b\n", `${FILE}:1: must be a mapping, not a list`],
    [
      "workspace label invalid",
      "workspaceLabel: Example.com/x\n",
      `${FILE}:1: workspaceLabel: invalid label key "Example.com/x": prefix part must be a lowercase DNS subdomain of at most 253 characters`,
    ],
    [
      "caFile with caData",
      "clusters:\n  - name: a\n    server: https://a\n    tls:\n      caFile: ca.pem\n      caData: eA==\n",
      `${FILE}:6: clusters[0].tls.caData: cannot be combined with caFile`,
    ],
    [
      "client certificate without a key",
      "clusters:\n  - name: a\n    server: https://a\n    tls:\n      certFile: c.pem\n",
      `${FILE}:5: clusters[0].tls.certFile: a client certificate needs keyFile or keyData`,
    ],
    [
      "insecureSkipVerify with a CA",
      "clusters:\n  - name: a\n    server: https://a\n    tls:\n      caData: eA==\n      insecureSkipVerify: true\n",
      `${FILE}:6: clusters[0].tls.insecureSkipVerify: cannot be true while caFile or caData is set`,
    ],
    [
      "insecureSkipVerify not a boolean",
      "clusters:\n  - name: a\n    server: https://a\n    tls:\n      insecureSkipVerify: yes\n",
      `${FILE}:5: clusters[0].tls.insecureSkipVerify: must be true or false, not the string "yes"`,
    ],
    [
      "token with tokenFile",
      "clusters:\n  - name: a\n    server: https://a\n    auth: { token: x, tokenFile: /t }\n",
      `${FILE}:4: clusters[0].auth.tokenFile: cannot be combined with token`,
    ],
    [
      "kubeconfig with server",
      "clusters:\n  - name: a\n    kubeconfig: { path: k }\n    server: https://a\n",
      `${FILE}:4: clusters[0].server: cannot be combined with kubeconfig, whose context supplies it`,
    ],
    [
      "empty token",
      "clusters:\n  - name: a\n    server: https://a\n    auth: { token: '' }\n",
      `${FILE}:4: clusters[0].auth.token: must not be empty`,
    ],
    [
      "YAML syntax",
      "port: 4000\nclusters:\n  - name: a\n   server: x\n",
      `${FILE}:4: invalid YAML: Sequence item without - indicator`,
    ],
    ["duplicate YAML key", "port: 4000\nport: 4001\n", `${FILE}:2: invalid YAML: Map keys must be unique`],
  ];

  it.each(cases)("%s", (_name, text, first) => {
    const error = configError(() => parseConfig(text, FILE));
    expect(error.message.split("\n")[0]).toBe(first);
    const line = Number(/^[^:]+:(\d+):/.exec(first)?.[1]);
    expect(error.line).toBe(line);
    expect(error.path).toBe(FILE);
  });

  it("reports every schema issue at once, ordered by line, with structured issues", () => {
    const text =
      "clusters:\n  - name: b\n    server: nope\n  - name: a\n    server: https://a\n    requestTimeoutMs: -5\nport: 0\n";
    const error = configError(() => parseConfig(text, FILE));
    expect(error.issues.map((i) => [i.line, i.field])).toEqual([
      [3, "clusters[0].server"],
      [6, "clusters[1].requestTimeoutMs"],
      [7, "port"],
    ]);
    expect(error.message.split("\n")).toHaveLength(3);
    expect(error.field).toBe("clusters[0].server");
  });
});
