import { writeFileSync, renameSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterConfig, ConfigError, GatewayConfig } from "../../src/config/index.js";
import {
  diffClusters,
  loadConfigFile,
  configFromKubeconfig,
  resolveConfig,
  watchConfig,
} from "../../src/config/index.js";
import { generateClusterTls } from "../../sim/tls.js";
import { eventually } from "../support/eventually.js";
import { b64, kubeconfigText, pems, scratch } from "./config-fixtures.js";

const fileWith = (...names: string[]) =>
  `clusters:\n${names.map((n) => `  - name: ${n}\n    server: https://${n}.example.com\n`).join("")}`;

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function watching(config: GatewayConfig) {
  const changes: GatewayConfig[] = [];
  const errors: ConfigError[] = [];
  stops.push(
    watchConfig(
      config,
      (next) => changes.push(next),
      (e) => errors.push(e),
      { debounceMs: 50 },
    ),
  );
  return { changes, errors };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("watchConfig", () => {
  it("picks up a changed file, keeps the old config on a bad one, and recovers", async () => {
    const s = scratch();
    const path = s.write("fleetgraph.yaml", fileWith("a"));
    const { changes, errors } = watching({ ...loadConfigFile(path), port: 4321 });

    writeFileSync(path, fileWith("a", "b"));
    await eventually(() => changes.length === 1);
    expect(changes[0]!.clusters.map((c) => c.name)).toEqual(["a", "b"]);
    // The port in force is the one the server listens on, whatever the file says now.
    expect(changes[0]!.port).toBe(4321);

    writeFileSync(path, fileWith("a", "b") + "    sever: oops\n");
    await eventually(() => errors.length >= 1);
    expect(errors[0]!.message).toBe(
      `${path}:6: clusters[1].sever: unknown field (expected one of: name, displayName, labels, server, tls, auth, kubeconfig, requestTimeoutMs, maxConcurrentRequests, trustGatewayGrants, prometheus, logStore, alertmanager)`,
    );
    expect(changes).toHaveLength(1);

    // Editors save by writing a temporary file and renaming it over the original.
    writeFileSync(s.path(".fleetgraph.yaml.swp"), fileWith("b", "c"));
    renameSync(s.path(".fleetgraph.yaml.swp"), path);
    await eventually(() => changes.length === 2);
    expect(changes[1]!.clusters.map((c) => c.name)).toEqual(["b", "c"]);
  });

  it("does not report a rewrite that changes nothing", async () => {
    const s = scratch();
    const path = s.write("fleetgraph.yaml", fileWith("a"));
    const { changes, errors } = watching(loadConfigFile(path));
    writeFileSync(path, `# a comment only\n${fileWith("a")}`);
    writeFileSync(s.path("unrelated.txt"), "x");
    await sleep(400);
    expect(changes).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("re-reads the files a config names on SIGHUP", async () => {
    const first = await pems();
    const s = scratch();
    const ca = s.write("pki/ca.pem", first.ca);
    const path = s.write(
      "fleetgraph.yaml",
      `clusters:\n  - name: a\n    server: https://a\n    tls: { caFile: ${ca} }\n`,
    );
    const { changes } = watching(loadConfigFile(path));
    const next = (await generateClusterTls("rotated")).caPem;
    writeFileSync(ca, next);
    await sleep(200);
    expect(changes).toEqual([]); // the CA's directory is not watched
    process.kill(process.pid, "SIGHUP");
    await eventually(() => changes.length === 1);
    expect(changes[0]!.clusters[0]!.tls.caData).toBe(next);
  });

  it("watches a kubeconfig source for new contexts", async () => {
    const { ca } = await pems();
    const s = scratch();
    const ctx = (name: string) => ({
      context: name,
      cluster: { server: `https://${name}`, "certificate-authority-data": b64(ca) },
    });
    const path = s.write("config", kubeconfigText([ctx("one")]));
    const { changes } = watching(configFromKubeconfig(path));
    writeFileSync(path, kubeconfigText([ctx("one"), ctx("two")]));
    await eventually(() => changes.length === 1);
    expect(changes[0]!.clusters.map((c) => c.name)).toEqual(["one", "two"]);
    expect(changes[0]!.source).toEqual({ kind: "kubeconfig", path });
  });

  it("stops reporting once stopped, and has nothing to watch for the demo fleet", async () => {
    const s = scratch();
    const path = s.write("fleetgraph.yaml", fileWith("a"));
    const changes: GatewayConfig[] = [];
    const stop = watchConfig(
      loadConfigFile(path),
      (c) => changes.push(c),
      () => {},
      { debounceMs: 10 },
    );
    stop();
    writeFileSync(path, fileWith("b"));
    await sleep(300);
    expect(changes).toEqual([]);
    const demo = resolveConfig({ env: { HOME: s.path("nowhere") } });
    expect(
      typeof watchConfig(
        demo,
        () => {},
        () => {},
      ),
    ).toBe("function");
  });
});

describe("diffClusters", () => {
  const cluster = (name: string, overrides: Partial<ClusterConfig> = {}): ClusterConfig => ({
    name,
    displayName: name,
    labels: {},
    server: `https://${name}`,
    tls: { insecureSkipVerify: false },
    auth: {},
    requestTimeoutMs: 5000,
    maxConcurrentRequests: 8,
    source: "config",
    ...overrides,
  });

  it("matches clusters by name and compares every setting", () => {
    const prev = [cluster("a"), cluster("b"), cluster("c"), cluster("d", { labels: { region: "eu" } })];
    const next = [
      cluster("a"),
      cluster("c", { auth: { token: "new" } }),
      cluster("d", { labels: { region: "eu" } }),
      cluster("e"),
      cluster("b", { tls: { insecureSkipVerify: true } }),
    ];
    const diff = diffClusters(prev, next);
    expect(diff.added.map((c) => c.name)).toEqual(["e"]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([next[1], next[4]]);
    expect(diffClusters(next, [cluster("a")])).toEqual({
      added: [],
      removed: [next[1], next[2], next[3], next[4]],
      changed: [],
    });
  });

  it("sees a nested change such as a label value", () => {
    const diff = diffClusters(
      [cluster("a", { labels: { env: "dev" } })],
      [cluster("a", { labels: { env: "prod" } })],
    );
    expect(diff.changed.map((c) => c.labels)).toEqual([{ env: "prod" }]);
    expect(diffClusters([cluster("a")], [cluster("a")])).toEqual({ added: [], removed: [], changed: [] });
  });
});
