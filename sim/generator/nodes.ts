/**
 * Node objects as a managed cloud cluster shows them: provider-style names, topology and
 * instance-type labels, capacity/allocatable, healthy conditions and kubelet info.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { KUBELET_VERSION, type Region } from "./catalog.js";
import type { NodeSizing } from "./plan.js";
import type { SeededRandom } from "./random.js";

function nodeName(
  region: Region,
  clusterName: string,
  index: number,
  ip: string,
  random: SeededRandom,
): string {
  switch (region.provider) {
    case "aws": {
      // us-east-1 is the one AWS region whose private DNS names end in ec2.internal.
      const domain = region.name === "us-east-1" ? "ec2.internal" : `${region.name}.compute.internal`;
      return `ip-${ip.replaceAll(".", "-")}.${domain}`;
    }
    case "gcp":
      return `gke-${clusterName.slice(0, 24)}-default-pool-${random.hex(8)}-${random.suffix(4)}`;
    case "azure":
      return `aks-nodepool1-${10_000_000 + random.int(0, 89_999_999)}-vmss${index.toString(36).padStart(6, "0")}`;
  }
}

function providerId(region: Region, zone: string, name: string, random: SeededRandom): string {
  switch (region.provider) {
    case "aws":
      return `aws:///${zone}/i-0${random.hex(16)}`;
    case "gcp":
      return `gce://acme-${region.name}/${zone}/${name}`;
    case "azure":
      return `azure:///subscriptions/${random.hex(8)}/resourceGroups/mc_${region.name}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1/virtualMachines/0`;
  }
}

const OS_IMAGES: Record<Region["provider"], { kernelVersion: string; osImage: string }> = {
  aws: { kernelVersion: "6.1.112-124.190.amzn2023.x86_64", osImage: "Amazon Linux 2023.6.20241010" },
  gcp: { kernelVersion: "6.1.100+", osImage: "Container-Optimized OS from Google" },
  azure: { kernelVersion: "5.15.0-1073-azure", osImage: "Ubuntu 22.04.5 LTS" },
};

export function buildNodes(
  clusterName: string,
  region: Region,
  count: number,
  sizing: NodeSizing,
  random: SeededRandom,
  now: Date,
): KubeObject[] {
  const nodes: KubeObject[] = [];
  const usedIps = new Set<string>();
  const created = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const { machine } = sizing;
  const memoryKi = machine.memoryGi * 1024 * 1024 - 300_000; // firmware and kernel take a slice
  const reservedCpuMilli = 70 + machine.cpu * 10;
  for (let i = 0; i < count; i++) {
    let ip: string;
    do ip = `10.0.${random.int(0, 63)}.${random.int(2, 254)}`;
    while (usedIps.has(ip));
    usedIps.add(ip);
    const zone = region.zones[i % region.zones.length]!;
    const name = nodeName(region, clusterName, i, ip, random);
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      lastHeartbeatTime: created,
      lastTransitionTime: created,
      reason,
      message,
    });
    nodes.push({
      metadata: {
        name,
        labels: {
          "beta.kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/os": "linux",
          "kubernetes.io/hostname": name,
          "node.kubernetes.io/instance-type": machine.name,
          "topology.kubernetes.io/region": region.name,
          "topology.kubernetes.io/zone": zone,
        },
        annotations: {
          "node.alpha.kubernetes.io/ttl": "0",
          "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        },
      },
      spec: {
        podCIDR: `10.244.${i}.0/24`,
        podCIDRs: [`10.244.${i}.0/24`],
        providerID: providerId(region, zone, name, random),
      },
      status: {
        capacity: {
          cpu: String(machine.cpu),
          "ephemeral-storage": "104845292Ki",
          "hugepages-2Mi": "0",
          memory: `${memoryKi}Ki`,
          pods: String(sizing.maxPods),
        },
        allocatable: {
          cpu: `${machine.cpu * 1000 - reservedCpuMilli}m`,
          "ephemeral-storage": "95551679124",
          "hugepages-2Mi": "0",
          memory: `${memoryKi - 1_000_000}Ki`,
          pods: String(sizing.maxPods),
        },
        conditions: [
          condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
          ),
          condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
          ),
          condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        addresses: [
          { type: "InternalIP", address: ip },
          { type: "Hostname", address: name },
          { type: "InternalDNS", address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: random.hex(32),
          systemUUID: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
          bootID: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
          ...OS_IMAGES[region.provider],
          containerRuntimeVersion: "containerd://1.7.22",
          kubeletVersion: KUBELET_VERSION,
          kubeProxyVersion: KUBELET_VERSION,
          operatingSystem: "linux",
          architecture: "amd64",
        },
        images: [],
      },
    });
  }
  return nodes;
}
