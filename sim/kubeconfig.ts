/**
 * What a fleet hands to its clients: a kubeconfig with one cluster and context per simulated
 * cluster (the admin user, the cluster CA as certificate-authority-data), and beside it a JSON
 * "fleet file" with everything tests and the demo need that a kubeconfig cannot say: every
 * user's token and groups, the clusters' own labels and the fault admin endpoint.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { stringify } from "yaml";
import type { FleetUser } from "./generator/users.js";

/** The kubeconfig extension under which each cluster's labels travel. */
export const CLUSTER_EXTENSION = "fleetgraph.dev/cluster";

export interface FleetFileCluster {
  name: string;
  server: string;
  port: number;
  labels: Record<string, string>;
  /** The cluster CA (PEM); absent for plain-HTTP clusters. */
  caPem?: string;
  /** The cluster's Prometheus endpoint (sim/metrics), when the fleet serves metrics. */
  metricsUrl?: string;
  /** The Elasticsearch-compatible log store holding the cluster's logs, events and audit events (sim/logstore). */
  logStoreUrl?: string;
}

export interface FleetFile {
  seed: string;
  kubeconfig: string;
  /** Base URL of the fault admin endpoint. */
  admin: string;
  clusters: FleetFileCluster[];
  users: FleetUser[];
}

/** `<dir>/<kubeconfig name without extension>.users.json`. */
export function fleetFilePathFor(kubeconfigPath: string): string {
  const base = basename(kubeconfigPath, extname(kubeconfigPath));
  return join(dirname(kubeconfigPath), `${base}.users.json`);
}

/** A user's entry name for a cluster; unique per cluster because clients cache credentials by user name. */
export function adminUserName(cluster: string, user = "admin"): string {
  return `${user}@${cluster}`;
}

/** `user` is whose token the contexts carry: the admin by default, the gateway's for a deployment. */
export function renderKubeconfig(clusters: FleetFileCluster[], user: FleetUser): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: {
        server: c.server,
        // client-node 2.x refuses plain-http servers unless insecure-skip-tls-verify is set.
        ...(c.caPem
          ? { "certificate-authority-data": Buffer.from(c.caPem).toString("base64") }
          : { "insecure-skip-tls-verify": true }),
        extensions: [{ name: CLUSTER_EXTENSION, extension: { labels: c.labels } }],
      },
    })),
    users: clusters.map((c) => ({ name: adminUserName(c.name, user.name), user: { token: user.token } })),
    contexts: clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: adminUserName(c.name, user.name) },
    })),
    "current-context": clusters[0]?.name ?? "",
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Writes the kubeconfig and the fleet file (both 0600: they hold tokens); returns their absolute paths. */
export async function writeFleetFiles(
  kubeconfigPath: string,
  fleet: Omit<FleetFile, "kubeconfig">,
  kubeconfigUser = "admin",
): Promise<{ kubeconfigPath: string; fleetFilePath: string }> {
  const admin = fleet.users.find((u) => u.name === kubeconfigUser);
  if (!admin) throw new Error(`the fleet has no user "${kubeconfigUser}" to write into the kubeconfig`);
  const absolute = resolve(kubeconfigPath);
  const fleetFilePath = fleetFilePathFor(absolute);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, renderKubeconfig(fleet.clusters, admin), { mode: 0o600 });
  const file: FleetFile = {
    seed: fleet.seed,
    kubeconfig: absolute,
    admin: fleet.admin,
    clusters: fleet.clusters,
    users: fleet.users,
  };
  await writeFile(fleetFilePath, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  return { kubeconfigPath: absolute, fleetFilePath };
}
