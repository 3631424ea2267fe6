import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import { configError, kubeconfigText, scratch } from "./config-fixtures.js";

/** A fake home and environment with a config file and three distinct kubeconfigs. */
function world() {
  const s = scratch();
  const kube = (name: string) =>
    s.write(
      name,
      kubeconfigText([
        { context: `${name.replaceAll(/[^a-z]/g, "")}-ctx`, cluster: { server: "https://k" } },
      ]),
    );
  return {
    s,
    configFile: s.write(
      "fleetgraph.yaml",
      "port: 4100\nclusters:\n  - name: from-file\n    server: https://f\n",
    ),
    flagKubeconfig: kube("flag"),
    envKubeconfig: kube("env"),
    homeKubeconfig: kube("home/.kube/config"),
    home: s.path("home"),
  };
}

const names = (config: ReturnType<typeof resolveConfig>) => config.clusters.map((c) => c.name);

describe("resolveConfig precedence", () => {
  it("--config wins over everything", () => {
    const w = world();
    const config = resolveConfig({
      configFile: w.configFile,
      kubeconfig: w.flagKubeconfig,
      env: { HOME: w.home, KUBECONFIG: w.envKubeconfig },
    });
    expect(config.source).toEqual({ kind: "file", path: w.configFile });
    expect(names(config)).toEqual(["from-file"]);
    expect(config.port).toBe(4100);
  });

  it("$FLEETGRAPH_CONFIG comes next, then --kubeconfig, then $KUBECONFIG", () => {
    const w = world();
    const env = { HOME: w.home, KUBECONFIG: w.envKubeconfig, FLEETGRAPH_CONFIG: w.configFile };
    expect(resolveConfig({ kubeconfig: w.flagKubeconfig, env }).source).toEqual({
      kind: "file",
      path: w.configFile,
    });
    const withoutFile = { HOME: w.home, KUBECONFIG: w.envKubeconfig };
    const fromFlag = resolveConfig({ kubeconfig: w.flagKubeconfig, env: withoutFile });
    expect(fromFlag.source).toEqual({ kind: "kubeconfig", path: w.flagKubeconfig });
    expect(names(fromFlag)).toEqual(["flag-ctx"]);
    expect(names(resolveConfig({ env: withoutFile }))).toEqual(["env-ctx"]);
  });

  it("takes the first non-empty path of a $KUBECONFIG list", () => {
    const w = world();
    const config = resolveConfig({
      env: { HOME: w.home, KUBECONFIG: `:${w.envKubeconfig}:${w.flagKubeconfig}` },
    });
    expect(config.source).toEqual({ kind: "kubeconfig", path: w.envKubeconfig });
  });

  it("falls back to ~/.kube/config, then to the demo fleet", () => {
    const w = world();
    const fromHome = resolveConfig({ env: { HOME: w.home, KUBECONFIG: "" } });
    expect(fromHome.source).toEqual({ kind: "kubeconfig", path: w.homeKubeconfig });
    expect(names(fromHome)).toEqual(["homekubeconfig-ctx"]);
    const demo = resolveConfig({ env: { HOME: w.s.path("empty-home") } });
    expect(demo).toEqual({
      port: 4000,
      workspaceLabel: "kubesphere.io/workspace",
      clusters: [],
      defaults: { requestTimeoutMs: 5000, maxConcurrentRequests: 8, resyncBackoffMaxMs: 30000 },
      source: { kind: "demo" },
    });
  });

  it("expands ~ in paths against the given HOME", () => {
    const w = world();
    const config = resolveConfig({ kubeconfig: "~/.kube/config", env: { HOME: w.home } });
    expect(config.source).toEqual({ kind: "kubeconfig", path: w.homeKubeconfig });
  });

  it("does not fall back when an explicit source is broken", () => {
    const w = world();
    expect(
      configError(() => resolveConfig({ configFile: w.s.path("missing.yaml"), env: { HOME: w.home } }))
        .message,
    ).toBe(`${w.s.path("missing.yaml")}: file not found`);
    expect(
      configError(() => resolveConfig({ env: { HOME: w.home, KUBECONFIG: w.s.path("gone") } })).message,
    ).toBe(`${w.s.path("gone")}: cannot load: file not found`);
  });

  it("lets --port override the file, and validates it", () => {
    const w = world();
    expect(resolveConfig({ configFile: w.configFile, port: 5001, env: { HOME: w.home } }).port).toBe(5001);
    expect(resolveConfig({ port: 5002, env: { HOME: w.s.path("empty-home") } }).port).toBe(5002);
    expect(configError(() => resolveConfig({ port: 0, env: { HOME: w.home } })).message).toBe(
      "--port: must be an integer between 1 and 65535, not 0",
    );
  });
});
