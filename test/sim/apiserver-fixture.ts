/**
 * A real HTTP server around the REST layer, with a seeded store and a stub context: token "admin"
 * may do anything, token "viewer" may only read in namespace team-a (plus discovery and access
 * reviews), token "patcher" may also patch (not create) configmaps there, any other token is 401. Logs come from an in-memory PassThrough-backed source.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { KubeConfig } from "@kubernetes/client-node";
import { createApiServer, type ApiServer } from "../../sim/apiserver/index.js";
import type { ApiServerContext, PodLogRequest, PodLogSource } from "../../sim/apiserver/context.js";
import type { RequestAttributes, UserInfo } from "../../sim/auth/user.js";
import { statusErrors } from "../../sim/errors.js";
import { FaultState } from "../../sim/faults/fault-state.js";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";
import type { KubeObject } from "../../src/kube/object.js";
import { generateClusterTls } from "../../sim/tls.js";

export const NS = findResource("", "namespaces") as ResourceKind;
export const POD = findResource("", "pods") as ResourceKind;
export const DEPLOY = findResource("apps", "deployments") as ResourceKind;

const USERS: Record<string, UserInfo> = {
  admin: { username: "admin", groups: ["system:masters", "system:authenticated"] },
  viewer: { username: "viewer", groups: ["system:authenticated"] },
  patcher: { username: "patcher", groups: ["system:authenticated"] },
};

function authorize(a: RequestAttributes): { allowed: boolean; reason: string } {
  if (a.user.groups.includes("system:masters"))
    return { allowed: true, reason: "allowed by stub: system:masters" };
  if (!a.resourceRequest) return { allowed: a.verb === "get", reason: "" };
  if (a.resource === "selfsubjectaccessreviews" && a.verb === "create") return { allowed: true, reason: "" };
  const reads = ["get", "list", "watch"].includes(a.verb);
  if (a.user.username === "patcher" && a.resource === "configmaps" && a.verb === "patch")
    return { allowed: a.namespace === "team-a" && a.subresource === "", reason: "" };
  return { allowed: reads && a.namespace === "team-a" && a.subresource === "", reason: "" };
}

/** Container logs kept in memory; `append` feeds followers. */
export class MemoryLogs implements PodLogSource {
  readonly lines = new Map<string, string[]>();
  readonly requests: PodLogRequest[] = [];
  private readonly followers = new Map<string, Set<PassThrough>>();

  append(namespace: string, pod: string, container: string, line: string): void {
    const key = `${namespace}/${pod}/${container}`;
    this.lines.set(key, [...(this.lines.get(key) ?? []), line]);
    for (const follower of this.followers.get(key) ?? []) follower.write(`${line}\n`);
  }

  followerCount(): number {
    let n = 0;
    for (const set of this.followers.values()) n += set.size;
    return n;
  }

  open(request: PodLogRequest): Readable {
    this.requests.push(request);
    const key = `${request.namespace}/${request.pod}/${request.container}`;
    const all = this.lines.get(key) ?? [];
    const lines =
      request.tailLines !== undefined ? all.slice(Math.max(0, all.length - request.tailLines)) : all;
    const stream = new PassThrough();
    for (const line of lines) stream.write(`${request.timestamps ? "2026-01-01T00:00:00Z " : ""}${line}\n`);
    if (!request.follow) {
      stream.end();
      return stream;
    }
    let set = this.followers.get(key);
    if (!set) this.followers.set(key, (set = new Set()));
    set.add(stream);
    stream.on("close", () => set.delete(stream));
    return stream;
  }
}

export interface Fixture {
  store: ClusterStore;
  faults: FaultState;
  logs: MemoryLogs;
  api: ApiServer;
  server: Server;
  baseUrl: string;
  /** The same handler over HTTPS: kubectl sends bearer tokens only over TLS. */
  httpsUrl: string;
  /** A kubeconfig file for kubectl (token user, HTTPS with the cluster's CA). */
  kubeconfigPath: (token?: string) => string;
  kubeConfig: (token?: string) => KubeConfig;
  fetch: (path: string, init?: RequestInit & { token?: string }) => Promise<Response>;
  close: () => Promise<void>;
}

export function container(name: string, image = `registry.local/${name}:1.0`): Record<string, unknown> {
  return {
    name,
    image,
    ports: [{ containerPort: 8080, protocol: "TCP" }],
    env: [{ name: "MODE", value: "prod" }],
  };
}

export function seed(store: ClusterStore, podsPerNamespace = 3): void {
  for (const ns of ["team-a", "team-b"]) {
    store.create(NS, { metadata: { name: ns, labels: { team: ns } }, status: { phase: "Active" } });
    for (let i = 0; i < podsPerNamespace; i++) {
      store.create(POD, {
        metadata: { name: `pod-${i}`, namespace: ns, labels: { app: i % 2 ? "api" : "web", tier: "t" + i } },
        spec: { nodeName: `node-${i % 2}`, containers: [container("main")] },
        status: { phase: i === 0 ? "Pending" : "Running" },
      });
    }
  }
  store.create(POD, {
    metadata: { name: "multi", namespace: "team-a", labels: { app: "multi" } },
    spec: { nodeName: "node-0", containers: [container("a"), container("b")] },
    status: { phase: "Running" },
  });
  store.create(DEPLOY, {
    metadata: { name: "web", namespace: "team-a", labels: { app: "web" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [container("main")] } },
    },
    status: { replicas: 2, readyReplicas: 2 },
  });
}

export async function startFixture(
  options: { bookmarkIntervalMs?: number; historySize?: number } = {},
): Promise<Fixture> {
  const store = new ClusterStore({ clusterName: "sim-1", historySize: options.historySize ?? 1000 });
  seed(store);
  const faults = new FaultState();
  const logs = new MemoryLogs();
  const ctx: ApiServerContext = {
    clusterName: "sim-1",
    store,
    faults,
    logs,
    authenticate(headers) {
      const auth = headers.authorization;
      const token = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : "";
      return USERS[token] ?? statusErrors.unauthorized();
    },
    authorize,
    version: { major: "1", minor: "32", gitVersion: "v1.32.0-sim" },
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 200,
  };
  const api = createApiServer(ctx);
  const server = createServer(api.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const tls = await generateClusterTls("sim-1");
  const secure = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, api.handle);
  await new Promise<void>((resolve) => secure.listen(0, "127.0.0.1", resolve));
  const httpsUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "fleetgraph-apiserver-"));

  const kubeconfigPath = (token = "admin"): string => {
    const file = join(dir, `kubeconfig-${token}`);
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: sim\n  cluster:\n    server: ${httpsUrl}\n    certificate-authority-data: ${Buffer.from(tls.caPem).toString("base64")}`,
        "users:",
        `- name: ${token}\n  user:\n    token: ${token}`,
        "contexts:",
        `- name: sim\n  context:\n    cluster: sim\n    user: ${token}\n    namespace: team-a`,
        "current-context: sim",
        "",
      ].join("\n"),
    );
    return file;
  };
  const kubeConfig = (token = "admin"): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "sim", server: baseUrl, skipTLSVerify: true }],
      users: [{ name: `user-${token}`, token }],
      contexts: [{ name: "sim", cluster: "sim", user: `user-${token}` }],
      currentContext: "sim",
    });
    return kc;
  };
  const doFetch = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
    const { token = "admin", headers, ...rest } = init;
    return fetch(`${baseUrl}${path}`, {
      ...rest,
      headers: { authorization: `Bearer ${token}`, ...(headers as Record<string, string> | undefined) },
    });
  };
  return {
    store,
    faults,
    logs,
    api,
    server,
    baseUrl,
    httpsUrl,
    kubeconfigPath,
    kubeConfig,
    fetch: doFetch,
    close: async () => {
      api.closeAll();
      for (const s of [server, secure]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

/** A list response as the tests read it. */
export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** Item names of a list ("ns/name" with `qualified`), in response order. */
export function names(list: { items: KubeObject[] }, qualified = false): string[] {
  return list.items.map((o) =>
    qualified ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? ""),
  );
}

/** A deployment's spec as the tests read it. */
export interface DeploymentSpec {
  replicas: number;
  paused?: boolean;
  template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: { name: string }[] } };
}

export function specOf(obj: KubeObject | undefined): DeploymentSpec {
  return obj?.spec as DeploymentSpec;
}
