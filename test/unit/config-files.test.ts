import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfig } from "../../src/config/index.js";
import { b64, configError, kubeconfigText, pems, scratch } from "./config-fixtures.js";

const FILE = "fleetgraph.yaml";

describe("parseConfig: files named by the config", () => {
  it("reports an unreadable caFile at its line, resolved against the config's directory", () => {
    const s = scratch();
    const path = s.path("fleetgraph.yaml");
    const error = configError(() =>
      parseConfig(
        "clusters:\n  - name: a\n    server: https://a\n    tls:\n      caFile: missing/ca.pem\n",
        path,
      ),
    );
    expect(error.message).toBe(
      `${path}:5: clusters[0].tls.caFile: cannot read ${s.path("missing/ca.pem")}: ENOENT`,
    );
  });

  it("rejects *Data that is not base64, or base64 of something that is not PEM", () => {
    const base = "clusters:\n  - name: a\n    server: https://a\n    tls:\n";
    expect(configError(() => parseConfig(`${base}      caData: "%%%"\n`, FILE)).message).toBe(
      `${FILE}:5: clusters[0].tls.caData: must be base64-encoded PEM`,
    );
    expect(configError(() => parseConfig(`${base}      caData: ${b64("hello")}\n`, FILE)).message).toBe(
      `${FILE}:5: clusters[0].tls.caData: decoded base64: not PEM (no -----BEGIN line)`,
    );
  });

  it("rejects a key where a certificate belongs and a corrupt key", async () => {
    const { cert, key } = await pems();
    const base = "clusters:\n  - name: a\n    server: https://a\n    tls:\n";
    const swapped = configError(() =>
      parseConfig(`${base}      certData: ${b64(key)}\n      keyData: ${b64(cert)}\n`, FILE),
    );
    expect(swapped.message).toMatch(
      /^fleetgraph\.yaml:5: clusters\[0\]\.tls\.certData: decoded base64: not a valid PEM certificate/,
    );
    const corrupt = key.replace(/\n[A-Za-z0-9+/]{10}/, "\nAAAAAAAAAA");
    const bad = configError(() =>
      parseConfig(`${base}      certData: ${b64(cert)}\n      keyData: ${b64(corrupt)}\n`, FILE),
    );
    expect(bad.message).toMatch(
      /^fleetgraph\.yaml:6: clusters\[0\]\.tls\.keyData: decoded base64: not a valid PEM private key/,
    );
  });

  it("reports a missing or empty tokenFile", () => {
    const s = scratch();
    const path = s.path("fleetgraph.yaml");
    s.write("empty-token", "\n");
    const text = (file: string) =>
      `clusters:\n  - name: a\n    server: https://a\n    auth:\n      tokenFile: ${file}\n`;
    expect(configError(() => parseConfig(text("nope"), path)).message).toBe(
      `${path}:5: clusters[0].auth.tokenFile: cannot read ${s.path("nope")}: ENOENT`,
    );
    expect(configError(() => parseConfig(text("empty-token"), path)).message).toBe(
      `${path}:5: clusters[0].auth.tokenFile: ${s.path("empty-token")} is empty`,
    );
  });

  it("takes server, TLS and auth from a kubeconfig context; labels and timeouts from the entry", async () => {
    const { ca } = await pems();
    const s = scratch();
    const kubeconfig = s.write(
      "kube/config",
      kubeconfigText(
        [
          {
            context: "one",
            cluster: { server: "https://one:6443", "certificate-authority-data": b64(ca) },
            user: { token: "t1" },
          },
          {
            context: "two",
            cluster: { server: "https://two:6443", "insecure-skip-tls-verify": true },
            user: { token: "t2" },
          },
        ],
        "two",
      ),
    );
    const path = s.write(
      "fleetgraph.yaml",
      `clusters:
  - name: first
    labels: { region: eu }
    kubeconfig: { path: kube/config, context: one }
    requestTimeoutMs: 1000
  - name: current
    kubeconfig: { path: ${kubeconfig} }
`,
    );
    const config = loadConfigFile(path);
    expect(config.clusters).toEqual([
      {
        name: "first",
        displayName: "first",
        labels: { region: "eu" },
        server: "https://one:6443",
        tls: { caData: ca, insecureSkipVerify: false },
        auth: { token: "t1" },
        requestTimeoutMs: 1000,
        maxConcurrentRequests: 8,
        source: "config",
      },
      {
        name: "current",
        displayName: "current",
        labels: {},
        server: "https://two:6443",
        tls: { insecureSkipVerify: true },
        auth: { token: "t2" },
        requestTimeoutMs: 5000,
        maxConcurrentRequests: 8,
        source: "config",
      },
    ]);
  });

  it("reports kubeconfig problems at the referring line, naming the context", () => {
    const s = scratch();
    s.write(
      "kubeconfig",
      kubeconfigText([
        {
          context: "eks",
          cluster: { server: "https://eks" },
          user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws" } },
        },
      ]),
    );
    const path = s.path("fleetgraph.yaml");
    const entry = (ref: string) => `clusters:\n  - name: a\n    kubeconfig:\n${ref}`;
    expect(
      configError(() => parseConfig(entry("      path: kubeconfig\n      context: eks\n"), path)).message,
    ).toBe(
      `${path}:5: clusters[0].kubeconfig.context: kubeconfig ${s.path("kubeconfig")}: context "eks": user "eks-user" authenticates with an exec plugin (aws), which fleetgraph does not support; give the cluster a token or client certificate in a fleetgraph config file instead`,
    );
    expect(
      configError(() => parseConfig(entry("      path: kubeconfig\n      context: gke\n"), path)).message,
    ).toBe(
      `${path}:5: clusters[0].kubeconfig.context: kubeconfig ${s.path("kubeconfig")}: no context "gke" (contexts: "eks")`,
    );
    expect(configError(() => parseConfig(entry("      path: kubeconfig\n"), path)).message).toBe(
      `${path}:4: clusters[0].kubeconfig.context: is required: ${s.path("kubeconfig")} has no current-context`,
    );
    expect(configError(() => parseConfig(entry("      path: nope\n"), path)).message).toBe(
      `${path}:4: clusters[0].kubeconfig.path: kubeconfig ${s.path("nope")}: cannot load: file not found`,
    );
  });
});

describe("loadConfigFile", () => {
  it("names a missing file", () => {
    const s = scratch();
    const error = configError(() => loadConfigFile(s.path("absent.yaml")));
    expect(error.message).toBe(`${s.path("absent.yaml")}: file not found`);
    expect(error.line).toBeUndefined();
  });
});
