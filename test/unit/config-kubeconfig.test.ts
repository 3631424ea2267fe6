import { describe, expect, it } from "vitest";
import { configFromKubeconfig } from "../../src/config/index.js";
import { b64, configError, kubeconfigText, pems, scratch } from "./config-fixtures.js";

describe("configFromKubeconfig", () => {
  it("takes cluster labels from the fleetgraph.dev/cluster extension and rejects bad ones", () => {
    const s = scratch();
    const cluster = (labels: Record<string, string>) => ({
      server: "https://127.0.0.1:6443",
      "insecure-skip-tls-verify": true,
      extensions: [{ name: "fleetgraph.dev/cluster", extension: { labels } }],
    });
    const path = s.write(
      "config",
      kubeconfigText(
        [
          {
            context: "east",
            cluster: cluster({ region: "eu-west-1", environment: "prod" }),
            user: { token: "t" },
          },
          { context: "plain", cluster: { server: "https://10.0.0.1" }, user: { token: "t" } },
        ],
        "east",
      ),
    );
    const clusters = configFromKubeconfig(path).clusters;
    expect(clusters.map((c) => [c.name, c.labels])).toEqual([
      ["east", { region: "eu-west-1", environment: "prod" }],
      ["plain", {}],
    ]);
    const bad = s.write(
      "bad",
      kubeconfigText([{ context: "x", cluster: cluster({ region: "not ok!" }), user: { token: "t" } }], "x"),
    );
    expect(configError(() => configFromKubeconfig(bad)).message).toMatch(
      /label region: invalid label value "not ok!"/,
    );
  });

  it("turns every context into a cluster named after it", async () => {
    const { ca, cert, key } = await pems();
    const s = scratch();
    s.write("certs/client.pem", cert);
    s.write("certs/client-key.pem", key);
    const path = s.write(
      "config",
      kubeconfigText(
        [
          {
            context: "kind-east",
            cluster: { server: "https://127.0.0.1:6443/", "certificate-authority-data": b64(ca) },
            user: { token: "east-token\n" },
          },
          {
            context: "admin@west",
            // Relative certificate paths are relative to the kubeconfig, as kubectl reads them.
            cluster: { server: "https://west.example.com", "insecure-skip-tls-verify": true },
            user: { "client-certificate": "certs/client.pem", "client-key": "certs/client-key.pem" },
          },
        ],
        "kind-east",
      ),
    );
    expect(configFromKubeconfig(path)).toEqual({
      port: 4000,
      workspaceLabel: "kubesphere.io/workspace",
      defaults: { requestTimeoutMs: 5000, maxConcurrentRequests: 8, resyncBackoffMaxMs: 30000 },
      source: { kind: "kubeconfig", path },
      clusters: [
        {
          name: "kind-east",
          displayName: "kind-east",
          labels: {},
          server: "https://127.0.0.1:6443",
          tls: { caData: ca, insecureSkipVerify: false },
          auth: { token: "east-token" },
          requestTimeoutMs: 5000,
          maxConcurrentRequests: 8,
          source: "kubeconfig",
        },
        {
          name: "admin@west",
          displayName: "admin@west",
          labels: {},
          server: "https://west.example.com",
          tls: { certData: cert, keyData: key, insecureSkipVerify: true },
          auth: {},
          requestTimeoutMs: 5000,
          maxConcurrentRequests: 8,
          source: "kubeconfig",
        },
      ],
    });
  });

  it("refuses exec and auth-provider users, naming the context", () => {
    const s = scratch();
    const exec = s.write(
      "exec",
      kubeconfigText([
        { context: "ok", cluster: { server: "https://ok" }, user: { token: "t" } },
        {
          context: "eks-prod",
          cluster: { server: "https://eks" },
          user: { exec: { command: "aws", apiVersion: "client.authentication.k8s.io/v1" } },
        },
      ]),
    );
    expect(configError(() => configFromKubeconfig(exec)).message).toBe(
      `${exec}: context "eks-prod": user "eks-prod-user" authenticates with an exec plugin (aws), which fleetgraph does not support; ` +
        "give the cluster a token or client certificate in a fleetgraph config file instead",
    );
    const provider = s.write(
      "provider",
      kubeconfigText([
        { context: "gke", cluster: { server: "https://gke" }, user: { "auth-provider": { name: "gcp" } } },
      ]),
    );
    expect(configError(() => configFromKubeconfig(provider)).message).toMatch(
      /: context "gke": user "gke-user" authenticates with the gcp auth-provider plugin/,
    );
  });

  it("refuses settings it would otherwise ignore", () => {
    const s = scratch();
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, RegExp]> = [
      [
        { server: "https://a", "proxy-url": "http://proxy:3128" },
        { token: "t" },
        /proxy-url is not supported/,
      ],
      [
        { server: "https://a", "tls-server-name": "kubernetes" },
        { token: "t" },
        /tls-server-name is not supported/,
      ],
      [{ server: "https://a" }, { username: "u", password: "p" }, /basic authentication is not supported/],
      [{ server: "ssh://a" }, { token: "t" }, /server "ssh:\/\/a" is not an https:\/\/ or http:\/\/ URL/],
    ];
    for (const [cluster, user, message] of cases) {
      const path = s.write("config", kubeconfigText([{ context: "c", cluster, user }]));
      expect(configError(() => configFromKubeconfig(path)).message).toMatch(message);
    }
  });

  it("names missing, malformed and empty kubeconfigs", () => {
    const s = scratch();
    expect(configError(() => configFromKubeconfig(s.path("nope"))).message).toBe(
      `${s.path("nope")}: cannot load: file not found`,
    );
    const broken = s.write("broken", "clusters:\n- name: a\n  cluster: {}\n");
    expect(configError(() => configFromKubeconfig(broken)).message).toBe(
      `${broken}: cannot load: clusters[0].cluster.server is missing`,
    );
    const empty = s.write("empty", "apiVersion: v1\nkind: Config\n");
    expect(configError(() => configFromKubeconfig(empty)).message).toBe(`${empty}: has no contexts`);
  });

  it("names a context whose cluster or user is not defined", () => {
    const s = scratch();
    const path = s.write(
      "config",
      JSON.stringify({
        clusters: [{ name: "c", cluster: { server: "https://c" } }],
        users: [],
        contexts: [
          { name: "x", context: { cluster: "c", user: "ghost" } },
          { name: "y", context: { cluster: "gone" } },
        ],
      }),
    );
    expect(configError(() => configFromKubeconfig(path)).message).toBe(
      `${path}: context "x": user "ghost" is not defined in the kubeconfig`,
    );
  });
});
