/**
 * Real @kubernetes/client-node clients for a simulated fleet, built the way the stack notes
 * say: one KubeConfig per (cluster, user), with a unique user name, TLS verified with the
 * cluster CA from the fleet file.
 */
import { readFileSync } from "node:fs";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { FleetFile } from "../../sim/kubeconfig.js";

export function readFleetFile(path: string): FleetFile {
  return JSON.parse(readFileSync(path, "utf8")) as FleetFile;
}

export function kubeConfigFor(fleet: FleetFile, clusterName: string, userName: string): KubeConfig {
  const cluster = fleet.clusters.find((c) => c.name === clusterName);
  const user = fleet.users.find((u) => u.name === userName);
  if (!cluster || !user) throw new Error(`no cluster ${clusterName} or user ${userName} in the fleet file`);
  const kc = new KubeConfig();
  const userEntry = `${userName}@${clusterName}`;
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: cluster.server,
        // client-node 2.x refuses http:// servers unless TLS verification is off.
        skipTLSVerify: !cluster.caPem,
        ...(cluster.caPem ? { caData: Buffer.from(cluster.caPem).toString("base64") } : {}),
      },
    ],
    users: [{ name: userEntry, token: user.token }],
    contexts: [{ name: userEntry, cluster: clusterName, user: userEntry }],
    currentContext: userEntry,
  });
  return kc;
}

export function coreFor(fleet: FleetFile, clusterName: string, userName: string): CoreV1Api {
  return kubeConfigFor(fleet, clusterName, userName).makeApiClient(CoreV1Api);
}

/** The HTTP status of a failed client-node call (ApiException.code), or undefined for success. */
export async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "number") return code;
    throw error;
  }
}

/** The network error code (ECONNREFUSED, ECONNRESET, ...) behind a failed fetch, searching causes. */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
