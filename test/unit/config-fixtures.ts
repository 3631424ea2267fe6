/** Shared setup for the config tests: real PEM material and scratch directories. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, expect } from "vitest";
import { generateClusterTls } from "../../sim/tls.js";
import { ConfigError } from "../../src/config/index.js";

export interface Pems {
  ca: string;
  cert: string;
  key: string;
}

let cached: Promise<Pems> | undefined;

/** One CA, certificate and key, generated once per test file (validated by node:crypto on load). */
export function pems(): Promise<Pems> {
  cached ??= generateClusterTls("config-test").then((t) => ({ ca: t.caPem, cert: t.certPem, key: t.keyPem }));
  return cached;
}

export const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory removed after the test; `write` creates files (and parent dirs) in it. */
export function scratch(): {
  dir: string;
  write: (name: string, content: string) => string;
  path: (name: string) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), "fleetgraph-config-"));
  dirs.push(dir);
  return {
    dir,
    path: (name) => join(dir, name),
    write: (name, content) => {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
  };
}

/** Runs `load`, expecting a ConfigError, and returns it for closer inspection. */
export function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError, but loading succeeded");
}

export interface KubeconfigEntry {
  context: string;
  cluster: Record<string, unknown>;
  user?: Record<string, unknown>;
}

/** A kubeconfig in YAML (JSON is valid YAML), one cluster and user per context. */
export function kubeconfigText(entries: KubeconfigEntry[], currentContext?: string): string {
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      "current-context": currentContext,
      clusters: entries.map((e) => ({ name: `${e.context}-cluster`, cluster: e.cluster })),
      users: entries.filter((e) => e.user).map((e) => ({ name: `${e.context}-user`, user: e.user })),
      contexts: entries.map((e) => ({
        name: e.context,
        context: { cluster: `${e.context}-cluster`, user: e.user ? `${e.context}-user` : undefined },
      })),
    },
    null,
    2,
  );
}
