/**
 * Every gateway config under examples/ and deploy/ loads through the real loader (src/config) — shape, unknown
 * keys, and every certificate, key, token and kubeconfig context it names — once the files it
 * points at exist: the test creates each one (real PEMs, a kubeconfig with the named contexts) in
 * a scratch directory and points the file's paths there, changing nothing else. GraphQL a comment
 * quotes (in backticks, starting with "{") must be valid against the committed schema.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildSchema, parse as parseGraphQL, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { loadConfigFile } from "../../src/config/index.js";
import { DEFAULT_QUERY_LIMITS } from "../../src/limits/index.js";
import { configFileSchema } from "../../src/config/schema.js";
import { kubeconfigText, pems, scratch, type Pems } from "./config-fixtures.js";

const root = new URL("../../", import.meta.url).pathname;
const examplesDir = join(root, "examples");
const deployDir = join(root, "deploy");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A gateway config is a mapping that is no Kubernetes object (a manifest, a kubeconfig). */
function isGatewayConfig(text: string): boolean {
  const documents = parseAllDocuments(text);
  // Several documents make a manifest (Kustomize resources), never a gateway config.
  if (!Array.isArray(documents) || documents.length !== 1) return false;
  const value: unknown = documents[0]!.toJS();
  // Its keys are the config's own: a Kubernetes object or a Prometheus config has others.
  const known = new Set(Object.keys(configFileSchema.shape));
  return value === null || (isMapping(value) && Object.keys(value).every((key) => known.has(key)));
}

/** Every file a config names, with what it must hold. */
function namedFiles(config: Mapping, material: Pems): Map<string, string> {
  const files = new Map<string, string>();
  const contexts = new Map<string, string[]>();
  const clusters = Array.isArray(config.clusters) ? (config.clusters as unknown[]) : [];
  for (const cluster of clusters.filter(isMapping)) {
    const tls = isMapping(cluster.tls) ? cluster.tls : {};
    const auth = isMapping(cluster.auth) ? cluster.auth : {};
    if (typeof tls.caFile === "string") files.set(tls.caFile, material.ca);
    if (typeof tls.certFile === "string") files.set(tls.certFile, material.cert);
    if (typeof tls.keyFile === "string") files.set(tls.keyFile, material.key);
    if (typeof auth.tokenFile === "string") files.set(auth.tokenFile, "example-token\n");
    const ref = isMapping(cluster.kubeconfig) ? cluster.kubeconfig : undefined;
    if (ref && typeof ref.path === "string") {
      const names = contexts.get(ref.path) ?? [];
      names.push(typeof ref.context === "string" ? ref.context : "default");
      contexts.set(ref.path, names);
    }
  }
  // The auth section's secrets: a client secret, session signing keys, OPA's token.
  const authSection = isMapping(config.auth) ? config.auth : {};
  const oidc = isMapping(authSection.oidc) ? authSection.oidc : {};
  if (typeof oidc.clientSecretFile === "string") files.set(oidc.clientSecretFile, "example-client-secret\n");
  const sessions = isMapping(authSection.sessions) ? authSection.sessions : {};
  for (const key of Array.isArray(sessions.signingKeys) ? sessions.signingKeys.filter(isMapping) : [])
    if (typeof key.secretFile === "string")
      files.set(key.secretFile, "example-signing-key-0123456789abcdef\n");
  const opa = isMapping(authSection.opa) ? authSection.opa : {};
  if (typeof opa.tokenFile === "string") files.set(opa.tokenFile, "example-opa-token\n");
  for (const [path, names] of contexts) {
    const entries = names.map((context) => ({
      context,
      cluster: {
        server: `https://${context}.example.com:6443`,
        "certificate-authority-data": b64(material.ca),
      },
      user: { token: `${context}-token` },
    }));
    files.set(path, kubeconfigText(entries, names[0]));
  }
  return files;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

/**
 * A copy of the example whose named files exist: absolute and `~/` paths are moved under a
 * scratch directory, relative ones are created beside the copy. Returns the copy's path.
 */
async function withNamedFiles(examplePath: string): Promise<string> {
  const text = readFileSync(examplePath, "utf8");
  const s = scratch();
  const config = (parseYaml(text) as Mapping | null) ?? {};
  let copy = text;
  for (const [path, content] of namedFiles(config, await pems())) {
    const inScratch = path.startsWith("/")
      ? `root${path}`
      : path.startsWith("~/")
        ? `home/${path.slice(2)}`
        : path;
    s.write(inScratch, content);
    if (inScratch !== path) copy = copy.replaceAll(path, s.path(inScratch));
  }
  const base = examplePath.startsWith(deployDir) ? deployDir : examplesDir;
  return s.write(relative(base, examplePath), copy);
}

const examples = [...yamlFiles(examplesDir), ...yamlFiles(deployDir)].filter((path) =>
  isGatewayConfig(readFileSync(path, "utf8")),
);

describe("examples/ and deploy/", () => {
  it("hold gateway configs", () => {
    expect(examples.map((path) => relative(root, path))).toEqual(
      expect.arrayContaining(["examples/fleetgraph.yaml", "deploy/compose/fleetgraph.yaml"]),
    );
  });

  for (const example of examples) {
    const name = relative(root, example);

    it(`${name} loads through the config loader without a single error`, async () => {
      const path = await withNamedFiles(example);
      // A ConfigError lists every problem with its line: let it fail the test as it is.
      const config = loadConfigFile(path);
      expect(config.source).toEqual({ kind: "file", path });
    });

    it(`${name} quotes only GraphQL the schema accepts`, () => {
      const schema = buildSchema(readFileSync(join(root, "schema/schema.graphql"), "utf8"));
      const comments = readFileSync(example, "utf8")
        .split("\n")
        .map((line) => /(?:^|\s)#(.*)$/.exec(line)?.[1] ?? "");
      const quoted = comments.flatMap((comment) => [...comment.matchAll(/`(\{[^`]*\})`/g)].map((m) => m[1]!));
      for (const source of quoted) expect(validate(schema, parseGraphQL(source)), source).toEqual([]);
    });
  }

  it("examples/fleetgraph.yaml describes the clusters its comments say", async () => {
    const { ca, cert, key } = await pems();
    const config = loadConfigFile(await withNamedFiles(join(examplesDir, "fleetgraph.yaml")));
    expect(config.clusters.map((c) => [c.name, c.server])).toEqual([
      ["prod-eu-west-1", "https://10.0.0.1:6443"],
      ["prod-us-east-1", "https://34.1.2.3"],
      ["staging", "https://staging-admin.example.com:6443"],
      ["dev", "https://127.0.0.1:6443"],
    ]);
    expect(config.clusters[0]!.tls.caData).toBe(ca);
    expect(config.clusters[0]!.auth.tokenFile).toMatch(/\/root\/etc\/fleetgraph\/prod-eu-west-1\/token$/);
    expect(config.clusters[1]!.tls).toMatchObject({
      certData: cert,
      keyData: key,
      insecureSkipVerify: false,
    });
    expect(config.clusters[1]!.tls.caData).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(config.readiness).toEqual({ minSyncedClusters: 1, waitForAllClusters: true });
    // Every limit at its default, spelled out (the rate limit is left commented out).
    expect(config.limits).toEqual(DEFAULT_QUERY_LIMITS);
  });
});
