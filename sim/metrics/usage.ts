/**
 * How much a simulated container uses: deterministic from the fleet's seed and the pod's uid (so
 * the same pod always looks the same), scaled by what the container requests (so a database
 * uses more than a sidecar), and integrated over time since the pod started (so counters only
 * grow and a scrape later reads more).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { parseQuantity } from "../quantity.js";

/** Seconds a pod has run at `nowMs`: from status.startTime (the kubelet's), else its creation. */
export function podRunSeconds(pod: KubeObject, nowMs: number): number {
  const status = pod.status as { startTime?: string } | undefined;
  const since = Date.parse(status?.startTime ?? pod.metadata.creationTimestamp ?? "");
  return Number.isFinite(since) ? Math.max(0, (nowMs - since) / 1000) : 0;
}

/** A stable fraction in [0, 1) for (seed, object, purpose): FNV-1a over the three, then mixed. */
export function fraction(seed: string, uid: string, purpose: string): number {
  let h = 0x811c9dc5;
  for (const text of [seed, uid, purpose]) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff; // a separator, so ("ab","c") and ("a","bc") differ
    h = Math.imul(h, 0x01000193);
  }
  // A murmur finaliser: FNV's low bits alone are poorly spread for short inputs.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** A resource of a container's requests or limits as a plain number (cores, bytes), if set. */
export function amount(list: Record<string, string> | undefined, resource: string): number | undefined {
  const text = list?.[resource];
  if (text === undefined) return undefined;
  try {
    return Number(parseQuantity(text).milli) / 1000;
  } catch {
    return undefined;
  }
}

export interface ContainerUsage {
  /** Cores in use, constant over the container's life (so its counter is a straight line). */
  cpuCores: number;
  /** Working set in bytes at the given time. */
  memoryBytes: number;
}

const MiB = 1024 * 1024;

/**
 * A container's usage at `nowMs`. CPU sits between 15 % and 85 % of the request (never past the
 * limit); memory between 35 % and 85 % of the request, breathing ±3 % over a period of minutes,
 * so a gauge moves between scrapes without wandering off.
 */
export function containerUsage(
  seed: string,
  podUid: string,
  container: ContainerSpec,
  nowMs: number,
  /** The share of its request the pod uses when its autoscaler says so (autoscaled-load.ts). */
  autoscaledShare?: number,
): ContainerUsage {
  const key = `${podUid}/${container.name}`;
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  const cpuShare = fraction(seed, key, "cpu");
  const cpuRequest = amount(requests, "cpu");
  let cpuCores =
    cpuRequest === undefined
      ? 0.005 + 0.05 * cpuShare
      : cpuRequest * (autoscaledShare ?? 0.15 + 0.7 * cpuShare);
  const cpuLimit = amount(limits, "cpu");
  if (cpuLimit !== undefined) cpuCores = Math.min(cpuCores, cpuLimit);

  const memShare = fraction(seed, key, "memory");
  const memRequest = amount(requests, "memory");
  const base = memRequest === undefined ? (16 + 112 * memShare) * MiB : memRequest * (0.35 + 0.5 * memShare);
  const periodS = 300 + 600 * fraction(seed, key, "memory-period");
  const phase = 2 * Math.PI * fraction(seed, key, "memory-phase");
  let memoryBytes = base * (1 + 0.03 * Math.sin((2 * Math.PI * nowMs) / 1000 / periodS + phase));
  const memLimit = amount(limits, "memory");
  if (memLimit !== undefined) memoryBytes = Math.min(memoryBytes, memLimit * 0.95);
  return { cpuCores, memoryBytes: Math.round(memoryBytes) };
}

/** A pod's network rates in bytes per second: from about 1 KB/s to 2 MB/s received, less sent. */
export function podNetworkRates(seed: string, podUid: string): { receive: number; transmit: number } {
  const receive = 1000 * 2000 ** fraction(seed, podUid, "rx");
  const transmit = receive * (0.2 + 0.9 * fraction(seed, podUid, "tx"));
  return { receive, transmit };
}

/** The containers of a pod's spec. */
export function containersOf(pod: KubeObject): ContainerSpec[] {
  const spec = pod.spec as { containers?: ContainerSpec[] } | undefined;
  return spec?.containers ?? [];
}

/** Pods whose containers run now: scheduled and Running (cAdvisor sees no others). */
export function isRunning(pod: KubeObject): boolean {
  const status = pod.status as { phase?: string } | undefined;
  const spec = pod.spec as { nodeName?: string } | undefined;
  return status?.phase === "Running" && Boolean(spec?.nodeName);
}
